//! Words every page that talks to the server needs (["loading", and what went wrong, by the
//! server's error code](Common), see [`crate::api`]), and the header's ([`Nav`]).

texts! {
    /// Loading and failure texts.
    pub enum Common {
        ErrAlreadyVoted => (
            "This unit has already voted; this ballot does not count.",
            "这一户已经投过票，这张票不计入。",
        ),
        ErrBadRequest => ("Something in the request is not right.", "填写的内容有误。"),
        ErrCannotCount => ("The votes cannot be counted as they are.", "现在无法计票。"),
        ErrConflict => ("This conflicts with the current state.", "与现在的状态冲突。"),
        ErrCsrf => ("Security check failed; reload the page and try again.", "安全校验失败，请刷新页面后再试。"),
        ErrFile => ("The file cannot be read.", "文件读不了。"),
        ErrForm => ("Something is missing.", "还缺少内容。"),
        ErrInternal => ("The server failed; please try again later.", "服务器出错了，请稍后再试。"),
        ErrInvalidFile => ("The file has errors; nothing was imported:", "文件有错误，没有导入任何内容："),
        ErrNetwork => (
            "Cannot reach the server; check the connection and try again.",
            "连不上服务器，请检查网络后再试。",
        ),
        ErrNotFound => ("Not found.", "找不到。"),
        ErrOther => ("Something went wrong.", "出错了。"),
        ErrOwnerSplit => ("An owner's units must all vote the same way.", "同一业主的几户必须投相同的票。"),
        ErrRateLimited => ("Too many attempts; try again in a few minutes.", "尝试次数太多，请过几分钟再试。"),
        ErrTie => (
            "The option vote is tied; the committee's decision is needed.",
            "方案投票平票，需要委员会的决定。",
        ),
        ErrUnauthorized => ("Sign-in needed, or the code is not valid.", "需要登录，或者投票码不对。"),
        ErrWrongPhase => ("This cannot be done at this stage.", "现在这个阶段不能做这件事。"),
        ErrForbidden => ("Not allowed: no permission, or a wrong setup code.", "不允许：没有权限，或者设置码不对。"),
        ErrAlreadySetUp => (
            "A committee account exists already; sign in instead.",
            "已经有委员会账户了，请直接登录。",
        ),
        ErrStorage => (
            "The server could not save (its disk is full or read-only); nothing was saved. Try again later and tell whoever runs it.",
            "服务器无法保存（磁盘已满或只读），什么都没有保存。请稍后再试，并告诉管理员。",
        ),
        ErrTimeout => (
            "It took too long and was stopped. Reload the page to see where things stand.",
            "操作时间太长，已停止。请刷新页面查看结果。",
        ),
        ErrBusy => ("The server is busy; try again in a minute.", "服务器正忙，请一分钟后再试。"),
        ErrWrongCodes => (
            "These two codes do not open the box: check both cards.",
            "这两个监票码打不开票箱：请核对两张卡片。",
        ),
        ErrPaperMismatch => (
            "The paper ballots do not match the units recorded: count the box again.",
            "纸质选票张数和登记户数不一致：请重新清点票箱。",
        ),
        ErrCountIncomplete => (
            "The box is open but the count is not finished: press “Open the box and count” again shortly.",
            "票箱已打开，但还没完成：请稍后再按一次“开箱计票”。",
        ),
        ErrBoxInUse => (
            "Someone has voted: the codes can no longer be replaced.",
            "已经有人投票，监票码不能再换。",
        ),
        ErrBadFile => ("Something typed is not right.", "输入有误。"),
        ErrBoxMismatch => (
            "The box does not hold one ballot per voter: the count stopped and nothing was changed. Contact the administrator.",
            "票箱里的选票数和投票户数不一致，计票停止，什么都没有改。请联系管理员。",
        ),
        Loading => ("Loading…", "正在加载…"),
        Detail => ("Detail: ", "详情："),
        Line => ("Line", "第"),
    }
}

texts! {
    /// The header's words (every page has it).
    pub enum Nav {
        AppTitle => ("Plotwise small-space planner", "Plotwise 微空间规划"),
        Menu => ("Menu", "菜单"),
        Language => ("Language", "语言"),
        LargeText => ("Large text", "大字"),
        PageEditor => ("Layout editor", "方案编辑器"),
        PageSun => ("Sun and shade", "日照与阴影"),
        PageCompare => ("Compare drafts", "比较方案"),
        PageConsult => ("Consultations", "议事与投票"),
        PageCommittee => ("Committee", "委员会"),
        SignedInAs => ("Signed in:", "已登录："),
        SignOut => ("Sign out", "退出"),
    }
}
