//! The two languages of the app, zh-CN and en: every string a user sees is here.
//!
//! A plain `match` per key keeps the wasm small (a fluent bundle would add ~43 KB gzipped
//! for plural rules Chinese does not have). The choice is kept in `localStorage`.

use gloo::storage::{LocalStorage, Storage};
use plotwise_plan::Text;

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese, the first language of most residents.
    ZhCn,
    /// English.
    En,
}

const STORAGE_KEY: &str = "plotwise.lang";

impl Lang {
    /// The BCP 47 tag, as used in `<html lang>` and the language menu.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a tag; anything starting with `zh` is Chinese, `en` English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The saved choice, else the browser's language, else Chinese.
    pub fn initial() -> Lang {
        if let Some(lang) = LocalStorage::get::<String>(STORAGE_KEY)
            .ok()
            .and_then(|t| Lang::from_tag(&t))
        {
            return lang;
        }
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .and_then(|t| Lang::from_tag(&t))
            .unwrap_or(Lang::ZhCn)
    }

    /// Saves the choice and sets `<html lang>` so screen readers and fonts follow it.
    pub fn apply(self) {
        // Storage can be full or disabled (private mode): the choice then lasts this visit.
        let _ = LocalStorage::set(STORAGE_KEY, self.tag());
        if let Some(html) = gloo::utils::document().document_element() {
            let _ = html.set_attribute("lang", self.tag());
        }
    }
}

/// The version of a bilingual text from crates/plan in `lang`.
pub fn pick(lang: Lang, text: &Text) -> &str {
    match lang {
        Lang::ZhCn => &text.zh,
        Lang::En => &text.en,
    }
}

/// Every message of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "each variant names its text")]
pub enum Msg {
    AppTitle,
    Language,
    LargeText,
    PlotArea,
    ScaleBar,
    North,
    PlotDrawing,
    LoadFailed,
    Colon,
    PageEditor,
    PageCompare,
    PageConsult,
    Undo,
    Redo,
    Delete,
    Select,
    DrawRect,
    DrawPolygon,
    ZoneKind,
    Grid,
    GridOff,
    Tools,
    Palette,
    HintSelect,
    HintRect,
    HintPolygon,
    HintPlace,
    ZoomIn,
    ZoomOut,
    ZoomFit,
    FinishShape,
    Cancel,
    ShapeInvalid,
    EditRefused,
    Findings,
    NoFindings,
    Error,
    Warning,
    Info,
    Confidence,
    Metrics,
    TotalCost,
    CostEstimateNote,
    GreenRatio,
    Seats,
    ElementCount,
    ErrorsCount,
    WarningsCount,
    Inspector,
    NothingSelected,
    Objects,
    PositionX,
    PositionY,
    Width,
    Depth,
    Rotation,
    Rotate90,
    Area,
    Kind,
    Drafts,
    NewFromSample,
    OpenPlot,
    ImportBoundary,
    DrawBoundary,
    TypeBoundary,
    MakeRect,
    Duplicate,
    Open,
    CurrentDraft,
    SaveFile,
    LoadFile,
    Saved,
    SaveFailed,
    ImportFailed,
    Title,
    Untitled,
    Export,
    ExportSvg,
    ExportPdf,
    ExportDxf,
    ExportServerFailed,
    Working,
    CompareTitle,
    CompareHelp,
    Existing,
    Best,
    Overlay,
    Added,
    Removed,
    Changed,
    OverlayA,
    OverlayB,
    NotSamePlot,
    Close,
    ZonesCount,
    ElementsCount,
    Shortcuts,
    Metre,
    Row,
    LowerBetter,
    HigherBetter,
    SkipLink,
    Menu,
    ConfirmDelete,
    ConfidenceLow,
    ConfidenceMedium,
    ConfidenceHigh,
    Entrance,
    ExportGeojson,
    ExportCsv,
    ShowAll,
    CopySuffix,
    BillOfQuantities,
    RoofLoad,
    StepFreeReach,
    LoadingSample,
    NoDraftsYet,
    HandleResize,
    HandleRotate,
    HandleVertex,
    HintPickedCorner,
    HintRectSecond,
    PanGroup,
    PanWest,
    PanNorth,
    PanSouth,
    PanEast,
    MoveGroup,
    MoveWest,
    MoveNorth,
    MoveSouth,
    MoveEast,
    TurnLeft,
    TurnRight,
    Wider,
    Narrower,
    Deeper,
    Shallower,
}

/// The text of `key` in `lang`.
pub fn tr(lang: Lang, key: Msg) -> &'static str {
    let (en, zh) = texts(key);
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// The English and Chinese texts of `key`.
fn texts(key: Msg) -> (&'static str, &'static str) {
    use Msg::*;
    match key {
        AppTitle => ("Plotwise small-space planner", "Plotwise 微空间规划"),
        Language => ("Language", "语言"),
        LargeText => ("Large text", "大字"),
        PlotArea => ("Plot area", "地块面积"),
        ScaleBar => ("Scale bar", "比例尺"),
        North => ("N", "北"),
        PlotDrawing => (
            "Plan of the plot: zones and elements",
            "地块平面图：分区和设施",
        ),
        LoadFailed => ("The plot could not be read", "无法读取地块"),
        Colon => (": ", "："),
        PageEditor => ("Edit", "编辑"),
        PageCompare => ("Compare", "比较方案"),
        PageConsult => ("Consultations and votes", "征集与投票"),
        Undo => ("Undo", "撤销"),
        Redo => ("Redo", "重做"),
        Delete => ("Delete", "删除"),
        Select => ("Select / move", "选择 / 移动"),
        DrawRect => ("Draw rectangle", "画矩形"),
        DrawPolygon => ("Draw by points", "逐点画区域"),
        ZoneKind => ("Zone type", "区域类型"),
        Grid => ("Snap to grid", "对齐网格"),
        GridOff => ("off", "不对齐"),
        Tools => ("Drawing tools", "绘图工具"),
        Palette => ("Add a facility (real size)", "添加设施（真实尺寸）"),
        HintSelect => (
            "Tap a shape to select it and drag to move it. Drag empty space to pan; scroll or pinch to zoom.",
            "点选图形后拖动即可移动；拖动空白处平移，滚轮或双指缩放。",
        ),
        HintRect => (
            "Press and drag on the plan to draw a rectangle.",
            "在图上按住并拖动，画出矩形。",
        ),
        HintPolygon => (
            "Tap each corner. Tap the first corner, double-tap or press “Finish” to close the shape.",
            "依次点出每个角。点回第一个角、双击或按“完成”即闭合。",
        ),
        HintPlace => (
            "Tap the plan where the facility should go.",
            "在图上点一下放置设施。",
        ),
        ZoomIn => ("Zoom in", "放大"),
        ZoomOut => ("Zoom out", "缩小"),
        ZoomFit => ("Whole plot", "看全图"),
        FinishShape => ("Finish", "完成"),
        Cancel => ("Cancel", "取消"),
        ShapeInvalid => (
            "This shape is not valid (edges cross or it is too small)",
            "图形无效（边线交叉或太小）",
        ),
        EditRefused => ("That change could not be made", "无法进行此修改"),
        Findings => ("Problems found", "发现的问题"),
        NoFindings => ("No problems found.", "没有发现问题。"),
        Error => ("Must fix", "必须修改"),
        Warning => ("Should fix", "建议修改"),
        Info => ("Note", "提示"),
        Confidence => ("Confidence of the rule value", "规则取值可信度"),
        Metrics => ("Figures", "数据"),
        TotalCost => ("Estimated cost", "估算造价"),
        CostEstimateNote => (
            "Prices are estimates until your committee edits the catalogue.",
            "单价为估算，可由居委会修改目录。",
        ),
        GreenRatio => ("Green share", "绿地率"),
        Seats => ("Seats", "座位"),
        ElementCount => ("Facilities", "设施数量"),
        ErrorsCount => ("must fix", "项必须修改"),
        WarningsCount => ("should fix", "项建议修改"),
        Inspector => ("Selected", "所选对象"),
        NothingSelected => (
            "Nothing selected. Tap a shape on the plan, or pick one from the list.",
            "未选择。点选图上的图形，或在列表中选择。",
        ),
        Objects => ("Everything on the plan", "图上的全部对象"),
        PositionX => ("East (x), m", "东向位置 x（米）"),
        PositionY => ("North (y), m", "北向位置 y（米）"),
        Width => ("Width, m", "宽（米）"),
        Depth => ("Depth, m", "深（米）"),
        Rotation => ("Turn, degrees", "旋转角度（度）"),
        Rotate90 => ("Turn 90°", "旋转90°"),
        Area => ("Area", "面积"),
        Kind => ("Type", "类型"),
        Drafts => ("My drafts", "我的草稿"),
        NewFromSample => ("Start from a sample plot", "从示例地块开始"),
        OpenPlot => ("Open a plot", "打开地块"),
        ImportBoundary => (
            "Import a boundary file (GeoJSON or DXF)",
            "导入边界文件（GeoJSON 或 DXF）",
        ),
        DrawBoundary => ("Draw the boundary by tapping corners", "逐点画出地块边界"),
        TypeBoundary => ("Or type its size", "或输入尺寸"),
        MakeRect => ("Make a rectangular plot", "生成矩形地块"),
        Duplicate => ("Duplicate", "复制"),
        Open => ("Open", "打开"),
        CurrentDraft => ("open now", "正在编辑"),
        SaveFile => ("Save as file", "另存为文件"),
        LoadFile => ("Open a draft file", "打开草稿文件"),
        Saved => ("Saved in this browser", "已保存在本浏览器"),
        SaveFailed => (
            "Could not save in this browser (storage full or blocked). Save as a file to keep your work.",
            "无法保存在本浏览器（存储已满或被禁用）。请另存为文件以免丢失。",
        ),
        ImportFailed => (
            "This file could not be opened; your drafts are unchanged",
            "无法打开此文件；您的草稿没有改变",
        ),
        Title => ("Title", "名称"),
        Untitled => ("Untitled draft", "未命名草稿"),
        Export => ("Export drawings", "导出图纸"),
        ExportSvg => ("SVG drawing", "SVG 图纸"),
        ExportPdf => ("PDF board", "PDF 展板"),
        ExportDxf => ("DXF for CAD", "DXF（CAD）"),
        ExportServerFailed => (
            "The server could not make this file",
            "服务器无法生成此文件",
        ),
        Working => ("Working…", "处理中…"),
        CompareTitle => ("Compare options", "比较方案"),
        CompareHelp => (
            "Pick 2 to 4 drafts of the same plot. Option 0 is the plot as it is now.",
            "选择同一地块的2至4个草稿。方案0为现状。",
        ),
        Existing => ("Existing (as it is now)", "现状"),
        Best => ("best", "最优"),
        Overlay => ("Differences between two options", "两个方案的差异"),
        Added => ("added", "新增"),
        Removed => ("removed", "删除"),
        Changed => ("changed", "修改"),
        OverlayA => ("First option", "第一个方案"),
        OverlayB => ("Second option", "第二个方案"),
        NotSamePlot => ("other plot", "其他地块"),
        Close => ("Close", "关闭"),
        ZonesCount => ("zones", "个区域"),
        ElementsCount => ("facilities", "个设施"),
        Shortcuts => (
            "Keys: Ctrl+Z undo, Ctrl+Y redo, Delete remove, arrows move, R turn, Esc stop",
            "快捷键：Ctrl+Z 撤销，Ctrl+Y 重做，Delete 删除，方向键移动，R 旋转，Esc 停止",
        ),
        Metre => ("m", "米"),
        Row => ("Figure", "指标"),
        LowerBetter => ("lower is better", "越低越好"),
        HigherBetter => ("higher is better", "越高越好"),
        SkipLink => ("Skip to the plan", "跳到平面图"),
        StepFreeReach => ("Zones reachable step-free", "无障碍可达的区域"),
        RoofLoad => ("Highest roof load", "屋面最大荷载利用率"),
        BillOfQuantities => ("Bill of quantities", "工程量清单"),
        CopySuffix => ("(copy)", "（副本）"),
        ShowAll => ("Show the rest", "显示其余"),
        ExportGeojson => ("GeoJSON (for GIS)", "GeoJSON（GIS 用）"),
        ExportCsv => (
            "Bill of quantities (CSV, for Excel)",
            "工程量清单（CSV，可用 Excel 打开）",
        ),
        Entrance => ("Entrance", "入口"),
        ConfidenceHigh => ("rule value: high confidence", "规则取值：可信度高"),
        ConfidenceMedium => ("rule value: medium confidence", "规则取值：可信度中"),
        ConfidenceLow => (
            "rule value: low confidence (estimate)",
            "规则取值：可信度低（估计）",
        ),
        ConfirmDelete => (
            "Delete this draft? It cannot be brought back. (You can save it as a file first.)",
            "删除这个草稿？删除后无法恢复。（可先另存为文件。）",
        ),
        Menu => ("Plot and drafts", "地块和草稿"),
        LoadingSample => ("Opening the sample plot…", "正在打开示例地块…"),
        NoDraftsYet => (
            "No drafts yet. Open the editor, draw a layout, then come back to compare.",
            "还没有草稿。请先在编辑器中画一个方案，再回来比较。",
        ),
        HandleResize => (
            "Resize: drag (Shift keeps the proportions)",
            "调整大小：拖动（按住 Shift 保持比例）",
        ),
        HandleRotate => ("Turn: drag around the centre", "旋转：绕中心拖动"),
        HandleVertex => (
            "Corner: drag to move it, or tap it and then tap where it should go",
            "顶点：拖动以移动，或先点它再点新位置",
        ),
        HintPickedCorner => (
            "Tap where the corner should go (Esc: leave it).",
            "点一下顶点的新位置（Esc：不移动）。",
        ),
        HintRectSecond => (
            "Tap the opposite corner of the rectangle.",
            "再点矩形的对角。",
        ),
        PanGroup => ("Move the view", "移动视图"),
        PanWest => ("Show more to the west", "向西看"),
        PanNorth => ("Show more to the north", "向北看"),
        PanSouth => ("Show more to the south", "向南看"),
        PanEast => ("Show more to the east", "向东看"),
        MoveGroup => ("Move, turn and resize", "移动、旋转和调整大小"),
        MoveWest => ("Move west", "向西移"),
        MoveNorth => ("Move north", "向北移"),
        MoveSouth => ("Move south", "向南移"),
        MoveEast => ("Move east", "向东移"),
        TurnLeft => ("Turn 15° anticlockwise", "逆时针转 15°"),
        TurnRight => ("Turn 15° clockwise", "顺时针转 15°"),
        Wider => ("Wider", "加宽"),
        Narrower => ("Narrower", "变窄"),
        Deeper => ("Deeper", "加深"),
        Shallower => ("Shallower", "变浅"),
    }
}
