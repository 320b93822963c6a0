//! The sun's position (NREL SPA via `solar-positioning`), the equation of time, true solar
//! time and the 大寒 (Greater Cold) day.

use solar_positioning::time::JulianDate;
use solar_positioning::{Location, RefractionCorrection, SolarPositions, delta_t};

use super::SunError;
use super::time::{Date, UtcOffset};
use crate::projection::LonLat;

/// Where the sun is, seen from one place at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SunPosition {
    /// Azimuth from true north, clockwise, degrees (0–360).
    pub azimuth_deg: f64,
    /// Apparent (refracted) elevation above the horizon, degrees.
    pub elevation_deg: f64,
}

/// ΔT (TT − UT1) in seconds for a date (Espenak–Meeus polynomials with the crate's updated
/// fits, at the middle of the month).
pub(crate) fn delta_t_s(date: Date) -> Result<f64, SunError> {
    delta_t::estimate_from_date(date.year, date.month).map_err(|e| SunError::Spa(e.to_string()))
}

fn julian(jd_ut: f64, dt: f64) -> Result<JulianDate, SunError> {
    JulianDate::new(jd_ut, dt).map_err(|e| SunError::Spa(e.to_string()))
}

/// SPA's topocentric position at `jd_ut` (Julian date, UT), at sea level, with SPA's
/// refraction at the standard atmosphere (1013.25 hPa, 15 °C).
pub fn sun_position(at: LonLat, jd_ut: f64, delta_t: f64) -> Result<SunPosition, SunError> {
    let p = SolarPositions::new()
        .at_from_julian(
            julian(jd_ut, delta_t)?,
            Location {
                latitude: at.lat,
                longitude: at.lon,
            },
            0.0,
            Some(RefractionCorrection::standard()),
        )
        .map_err(|e| SunError::Spa(e.to_string()))?;
    Ok(SunPosition {
        azimuth_deg: p.azimuth(),
        elevation_deg: p.elevation_angle(),
    })
}

/// The equation of time at `jd_ut`, minutes (apparent minus mean solar time): SPA's
/// equation A.1, E = M − 0.0057183° − α + Δψ·cos ε, with the apparent right ascension α from
/// SPA. The crate does not expose the nutation term Δψ·cos ε (at most 15.8″, 1.1 s of time),
/// so it is left out.
pub fn equation_of_time_min(jd_ut: f64, delta_t: f64) -> Result<f64, SunError> {
    let jd = julian(jd_ut, delta_t)?;
    let prepared = SolarPositions::new()
        .for_time_from_julian(jd)
        .map_err(|e| SunError::Spa(e.to_string()))?;
    let jme = jd.julian_ephemeris_millennium();
    let m = 280.466_456_7
        + 360_007.698_277_9 * jme
        + 0.030_320_28 * jme.powi(2)
        + jme.powi(3) / 49_931.0
        - jme.powi(4) / 15_300.0
        - jme.powi(5) / 2_000_000.0;
    let e_deg = m - 0.005_718_3 - prepared.right_ascension();
    // Bring 4·E into (−720, 720] minutes: the equation of time itself stays within ±20.
    let e_min = (4.0 * e_deg).rem_euclid(1440.0);
    Ok(if e_min > 720.0 { e_min - 1440.0 } else { e_min })
}

/// The Julian date (UT) of `minutes` after local midnight of `date` in standard time at
/// `offset`.
pub(crate) fn jd_of_standard(date: Date, minutes: f64, offset: UtcOffset) -> f64 {
    date.julian_day_0h() + (minutes - f64::from(offset.minutes())) / 1440.0
}

/// True (apparent) solar time − standard time at this place, minutes:
/// 4 min × (longitude − 15° × offset) + equation of time.
pub fn solar_minus_standard_min(lon: f64, offset: UtcOffset, equation_of_time_min: f64) -> f64 {
    4.0 * (lon - f64::from(offset.minutes()) / 4.0) + equation_of_time_min
}

/// The sun's apparent ecliptic longitude at `jd_ut`, degrees, from SPA's apparent right
/// ascension and declination and the mean obliquity (IAU 1980; leaving out the nutation in
/// obliquity, ≤ 9.2″, moves a solar term by a few minutes at most).
fn ecliptic_longitude_deg(jd_ut: f64, delta_t: f64) -> Result<f64, SunError> {
    let jd = julian(jd_ut, delta_t)?;
    let prepared = SolarPositions::new()
        .for_time_from_julian(jd)
        .map_err(|e| SunError::Spa(e.to_string()))?;
    let t = jd.julian_ephemeris_century();
    let eps = (84_381.448 - 46.815 * t - 0.000_59 * t * t + 0.001_813 * t * t * t) / 3600.0;
    let (a, d, e) = (
        prepared.right_ascension().to_radians(),
        prepared.declination().to_radians(),
        eps.to_radians(),
    );
    let lambda = (a.sin() * e.cos() + d.tan() * e.sin()).atan2(a.cos());
    Ok(lambda.to_degrees().rem_euclid(360.0))
}

/// 大寒 (Greater Cold, the solar term at ecliptic longitude 300°) of `year`: the date in
/// Beijing time (UTC+8) on which the sun reaches that longitude, usually 20 January. This is
/// the standard day of GB/T 50947 for housing sunlight.
pub fn dahan(year: i32) -> Result<Date, SunError> {
    solar_term(year, 1, 300.0)
}

/// 大暑 (Greater Heat, the solar term at ecliptic longitude 120°) of `year`, usually 22 or 23
/// July: the day of the summer shade measure.
pub fn dashu(year: i32) -> Result<Date, SunError> {
    solar_term(year, 7, 120.0)
}

/// The date (Beijing time) in `month` of `year` on which the sun reaches ecliptic longitude
/// `longitude` (the day whose midnight is the last before it), searched from the 10th.
fn solar_term(year: i32, month: u32, longitude: f64) -> Result<Date, SunError> {
    let bad = || SunError::Spa(format!("year {year} is outside the supported range"));
    let mut d = Date::new(year, month, 10).ok_or_else(bad)?;
    let dt = delta_t_s(d)?;
    let lon_at = |d: Date| ecliptic_longitude_deg(jd_of_standard(d, 0.0, UtcOffset::BEIJING), dt);
    let mut before = lon_at(d)?;
    for _ in 0..25 {
        let next = d.succ();
        let after = lon_at(next)?;
        if before < longitude && after >= longitude {
            return Ok(d);
        }
        before = after;
        d = next;
    }
    Err(bad())
}

#[cfg(test)]
mod test {
    use super::*;

    /// NREL's published SPA example (Reda & Andreas 2003, table A4.1; spa_tester.c):
    /// 17 October 2003 12:30:30 at UTC−7, Golden, Colorado (39.742476° N, 105.1786° W,
    /// 1830.14 m), ΔT 67 s, 820 hPa, 11 °C → topocentric zenith 50.11162°, azimuth
    /// 194.34024°.
    #[test]
    fn nrel_spa_test_vector() {
        let jd = Date::new(2003, 10, 17).unwrap().julian_day_0h()
            + (12.0 * 3600.0 + 30.0 * 60.0 + 30.0 + 7.0 * 3600.0) / 86_400.0;
        let p = SolarPositions::new()
            .at_from_julian(
                JulianDate::new(jd, 67.0).unwrap(),
                Location {
                    latitude: 39.742476,
                    longitude: -105.1786,
                },
                1830.14,
                Some(RefractionCorrection::new(820.0, 11.0).unwrap()),
            )
            .unwrap();
        eprintln!(
            "SPA vector: zenith {:.6} (NREL 50.11162), azimuth {:.6} (NREL 194.34024)",
            p.zenith_angle(),
            p.azimuth()
        );
        assert!(
            (p.zenith_angle() - 50.11162).abs() < 1e-4,
            "{}",
            p.zenith_angle()
        );
        assert!((p.azimuth() - 194.34024).abs() < 1e-4, "{}", p.azimuth());
        // The same instant through this module's path (sea level, standard atmosphere): the
        // differences are refraction (~0.01°) and parallax only.
        let q = sun_position(
            LonLat {
                lon: -105.1786,
                lat: 39.742476,
            },
            jd,
            67.0,
        )
        .unwrap();
        assert!((90.0 - q.elevation_deg - 50.11162).abs() < 0.02, "{q:?}");
        assert!((q.azimuth_deg - 194.34024).abs() < 1e-3, "{q:?}");
    }

    #[test]
    fn equation_of_time_matches_the_almanac() {
        // SPA's own example gives E = 14.641503 min on 17 Oct 2003 (spa_tester's output
        // table; the almanac says about +14.6 min), and about −11 min on 20 January.
        let jd = Date::new(2003, 10, 17).unwrap().julian_day_0h() + 19.508_68 / 24.0;
        let e = equation_of_time_min(jd, 67.0).unwrap();
        assert!((e - 14.641503).abs() < 0.02, "{e}");
        let jd = Date::new(2026, 1, 20).unwrap().julian_day_0h() + 4.0 / 24.0;
        let e = equation_of_time_min(jd, 69.0).unwrap();
        assert!((-11.5..-10.5).contains(&e), "{e}");
    }

    #[test]
    fn shanghai_solar_eight_is_five_past_eight_beijing_time() {
        // 20 January, People's Square (121.4737° E): 08:00 true solar time ≈ 08:05 Beijing.
        let date = Date::new(2026, 1, 20).unwrap();
        let dt = delta_t_s(date).unwrap();
        let e = equation_of_time_min(jd_of_standard(date, 480.0, UtcOffset::BEIJING), dt).unwrap();
        let standard = 480.0 - solar_minus_standard_min(121.4737, UtcOffset::BEIJING, e);
        assert!(
            (standard - 485.0).abs() < 1.0,
            "08:00 solar is {standard} min Beijing"
        );
    }

    #[test]
    fn dahan_is_20_january_in_these_years() {
        // Published solar terms (Purple Mountain Observatory), Beijing time:
        // 2021-01-20 04:40, 2023-01-20 21:29, 2024-01-20 16:07, 2025-01-20 04:00,
        // 2026-01-20 09:45.
        for y in [2021, 2023, 2024, 2025, 2026] {
            assert_eq!(dahan(y).unwrap(), Date::new(y, 1, 20).unwrap(), "{y}");
        }
    }

    #[test]
    fn dashu_falls_on_the_published_days() {
        // Published solar terms (Purple Mountain Observatory), Beijing time:
        // 2022-07-23 03:07, 2023-07-23 09:50, 2024-07-22 15:44, 2025-07-22 21:29,
        // 2026-07-23 03:13.
        for (y, d) in [(2022, 23), (2023, 23), (2024, 22), (2025, 22), (2026, 23)] {
            assert_eq!(dashu(y).unwrap(), Date::new(y, 7, d).unwrap(), "{y}");
        }
    }
}
