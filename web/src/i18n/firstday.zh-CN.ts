// Chinese strings of the first-day screens (issue 11): inbox deadlines, 回头看, similar cases across scopes, the
// phone case list, case page and report confirmation, base maps. firstday.en.ts must have exactly the same keys.
export const firstDayZhCN = {
  fd: {
    deadline: '时限',
    timeLeft: '剩余',
    overdueBy: '超时 {{d}}',
    left: '剩 {{d}}',
    days: '{{n}}天',
    hours: '{{n}}小时',
    minutes: '{{n}}分钟',
    revisit: '回头看',
    revisitReason: '评价不满意（{{rating}}星）：{{note}}',
    revisitNoNote: '评价不满意（{{rating}}星）',
    similarHidden: '附近约 {{m}} 米已有同类案件（{{state}}）',
    similarHiddenHint: '他人上报的案件不显示详情。如是同一问题，无需重复上报。',
    cases: '案件',
    search: '搜索编号、描述或地址',
    allStates: '全部状态',
    more: '加载更多',
    noCases: '暂无案件',
    nextMove: '下一步',
    noMove: '当前没有需要您处理的操作',
    photos: '现场照片',
    noPhotos: '无照片',
    facts: '案件信息',
    timeline: '处理过程',
    sentTitle: '上报成功',
    sentNumber: '案件编号 {{number}}',
    sentGrid: '已分到 {{grid}}（{{community}}），指挥中心将尽快受理。',
    sentUnrouted: '位置不在网格内，指挥中心将人工分派。',
    reportAnother: '继续上报',
    viewCase: '查看案件',
    home: '返回首页',
    myCases: '我的案件',
    checked: '尚未检查',
    baseLayer: '底图',
    coverageList: '缝隙与重叠',
    baseNone: '无底图',
  },
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type FirstDayMessages = Strings<typeof firstDayZhCN>;
