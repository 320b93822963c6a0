//! The sun page's words (its bundle carries them; the editor's does not).

texts! {
    /// Every message of the sun view.
    pub enum Sn {
        SunNoDraft => (
            "There is no plan to show yet. Open a plot in the layout editor first.",
            "还没有方案。请先在方案编辑器中打开一块场地。",
        ),
        SunTitle => ("Winter sun", "冬季日照"),
        SunIntro => (
            "Hours of direct sun on {date}{day}, {from}–{to} true solar time, with the shade of the buildings around.",
            "{date}{day}{from}–{to}（真太阳时）的直射日照小时数，已计入周边建筑的遮挡。",
        ),
        SunDahan => (" (Greater Cold, the standard day)", "（大寒，标准日）"),
        SunRule => (
            "A spot with at least {h} hours of sun counts as sunlit (GB 50180-2018 §4.0.7).",
            "日照不少于 {h} 小时的地方算作有日照（GB 50180-2018 第 4.0.7 条）。",
        ),
        SunLegend => ("Hours of sun (each square {cell} m)", "日照小时数（每格 {cell} 米）"),
        SunThreshold => ("{h} hours: the least for a sunlit spot", "{h} 小时：有日照的最低要求"),
        SunTime => ("Shadows at", "阴影时刻"),
        SunClock => (
            "{solar} true solar time · {beijing} Beijing time",
            "真太阳时 {solar} · 北京时间 {beijing}",
        ),
        SunEarlier => ("Earlier", "更早"),
        SunLater => ("Later", "更晚"),
        SunUpdating => ("Working out the sun…", "正在计算日照…"),
        SunFailed => ("The sun could not be worked out", "无法计算日照"),
        SunZones => ("Sun on each zone", "各区域日照"),
        SunZone => ("{zone}: half of it gets at least {h} h", "{zone}：一半面积至少有 {h} 小时日照"),
        SunEnough => ("enough sun", "日照充足"),
        SunTooLittle => ("too little sun", "日照不足"),
        Hours => ("h", "小时"),
    }
}
