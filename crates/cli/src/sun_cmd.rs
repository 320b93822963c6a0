//! `plotwise sun`: hours of direct sun at points or on a grid, from the buildings around the
//! plot (glue around `plotwise_plan::sun`).

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;
use plotwise_plan::sun::{
    Clock, ClockTime, Date, SunError, SunFileError, SunWindow, UtcOffset, grid_geojson,
    points_geojson,
};

use crate::Failure;
use crate::plan_cmds::{bilingual, load_layout, read, write_out};

#[derive(Args)]
pub struct SunArgs {
    /// A layout document (or a GeoJSON layout) with the buildings around the plot.
    layout: PathBuf,
    /// The day, YYYY-MM-DD (大寒 is about 20 January).
    #[arg(long)]
    date: Option<String>,
    /// Start of the window, HH:MM (on the --clock).
    #[arg(long, default_value = "08:00")]
    from: String,
    /// End of the window, HH:MM (excluded).
    #[arg(long, default_value = "16:00")]
    to: String,
    /// `solar` (true solar time at the plot, the default, as GB/T 50947 uses) or `standard`
    /// (zone time at --utc-offset).
    #[arg(long, default_value = "solar")]
    clock: String,
    /// The zone's offset from UTC (under --clock solar it only converts).
    #[arg(long, default_value = "+08:00", allow_hyphen_values = true)]
    utc_offset: String,
    /// Sampling step in whole minutes; it must divide the window.
    #[arg(long, default_value = "1", allow_hyphen_values = true)]
    step_min: String,
    /// Points (a GeoJSON FeatureCollection of Points, WGS84): printed back with `sun_hours`.
    #[arg(long)]
    points: Option<PathBuf>,
    /// Cell size of a grid over the plot, m: cells with `sun_hours` and a summary per zone.
    #[arg(long, allow_hyphen_values = true)]
    grid_m: Option<String>,
    /// Where to write the GeoJSON (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// A one-line error naming the option, in both languages.
fn bad_option(option: &str, en: impl std::fmt::Display, zh: &str) -> Failure {
    anyhow!("{option}: {en} / {zh}").into()
}

pub fn sun(args: SunArgs) -> Result<(), Failure> {
    let date: Date = args
        .date
        .as_deref()
        .ok_or_else(|| bad_option("--date", "missing (the day, YYYY-MM-DD)", "缺少日期"))?
        .parse()
        .map_err(|e| bad_option("--date", e, "日期应为 YYYY-MM-DD 且存在"))?;
    let from: ClockTime = args
        .from
        .parse()
        .map_err(|e| bad_option("--from", e, "时间应为 HH:MM（00:00–24:00）"))?;
    let to: ClockTime = args
        .to
        .parse()
        .map_err(|e| bad_option("--to", e, "时间应为 HH:MM（00:00–24:00）"))?;
    let clock: Clock = args.clock.parse().map_err(|e| {
        bad_option(
            "--clock",
            e,
            "应为 solar（真太阳时）或 standard（标准时间）",
        )
    })?;
    let utc_offset: UtcOffset = args
        .utc_offset
        .parse()
        .map_err(|e| bad_option("--utc-offset", e, "时区偏移应为 ±HH:MM，如 +08:00"))?;
    let step_min: u32 = args
        .step_min
        .trim()
        .parse()
        .ok()
        .filter(|&s| s > 0)
        .ok_or_else(|| {
            bad_option(
                "--step-min",
                format!(
                    "`{}` is not a positive whole number of minutes",
                    args.step_min
                ),
                "步长应为正整数分钟",
            )
        })?;
    let window = SunWindow {
        date,
        from,
        to,
        clock,
        utc_offset,
        step_min,
    };
    if let Err(e) = window.sample_count() {
        return Err(match e {
            SunError::Window {
                field,
                problem,
                problem_zh,
            } => {
                let option = if field == "step_min" {
                    "--step-min"
                } else {
                    "--to"
                };
                bad_option(option, problem, &problem_zh)
            }
            other => {
                let m = other.message();
                anyhow!("{} / {}", m.en, m.zh).into()
            }
        });
    }
    let layout = load_layout(&args.layout)?;
    let text = match (&args.points, &args.grid_m) {
        (Some(p), None) => {
            let points = read(p)?;
            points_geojson(&layout, &window, &points).map_err(|e| match e {
                SunFileError::Points(_) => bilingual(p, e.message()),
                _ => bilingual(&args.layout, e.message()),
            })?
        }
        (None, Some(g)) => {
            let cell: f64 = g
                .trim()
                .parse()
                .ok()
                .filter(|c: &f64| c.is_finite() && *c > 0.0)
                .ok_or_else(|| {
                    bad_option(
                        "--grid-m",
                        format!("`{g}` is not a positive number of metres"),
                        "网格尺寸应为正数（米）",
                    )
                })?;
            grid_geojson(&layout, &window, cell)
                .map_err(|e| bilingual(&args.layout, e.message()))?
        }
        (Some(_), Some(_)) => {
            return Err(bad_option(
                "--points",
                "give either --points or --grid-m, not both",
                "--points 与 --grid-m 只能选一个",
            ));
        }
        (None, None) => {
            return Err(bad_option(
                "--points",
                "missing: give --points POINTS.geojson or --grid-m 0.5",
                "缺少 --points 或 --grid-m",
            ));
        }
    };
    write_out(args.output.as_deref(), &text)
}
