// The one catalogue of what the server says, in zh-CN (default) and English: error messages a person can act on
// (keys are DomainErrorCode values), notification titles (rendered when read), grid and point-of-interest import
// problems (listed per feature or row), and the explanation of a case's routing. One Lang type for server and web.
export type Lang = 'zh-CN' | 'en';

type Texts = Record<Lang, string>;
type Catalog = Record<string, Texts>;

/** State names of every lifecycle (cases, hazards); the web app's labels are read from here too. */
export const STATE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  none: { 'zh-CN': '未上报', en: 'not reported' },
  reported: { 'zh-CN': '已上报', en: 'reported' },
  accepted: { 'zh-CN': '已受理', en: 'accepted' },
  rejected: { 'zh-CN': '不予受理', en: 'rejected' },
  dispatched: { 'zh-CN': '已派遣', en: 'dispatched' },
  in_progress: { 'zh-CN': '处置中', en: 'in progress' },
  handled: { 'zh-CN': '已处置', en: 'handled' },
  verified: { 'zh-CN': '已核查', en: 'verified' },
  closed: { 'zh-CN': '已结案', en: 'closed' },
  merged: { 'zh-CN': '已合并', en: 'merged' },
  suspended: { 'zh-CN': '已挂起', en: 'suspended' },
  // hazards (src/domain/hazards/lifecycle.ts)
  found: { 'zh-CN': '待整改', en: 'found' },
  rectifying: { 'zh-CN': '限期整改中', en: 'being rectified' },
  failed: { 'zh-CN': '复查未通过', en: 're-inspection failed' },
  passed: { 'zh-CN': '复查通过待销号', en: 're-inspection passed' },
  fixed: { 'zh-CN': '已现场整改', en: 'fixed on the spot' },
  handed_over: { 'zh-CN': '已移交执法', en: 'handed to law enforcement' },
};
/** Move names of every lifecycle; the web app's buttons are read from here too. */
export const MOVE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  report: { 'zh-CN': '上报', en: 'report' },
  // ranking moves (src/domain/assessment/ranking-lifecycle.ts)
  recompute: { 'zh-CN': '重新计算', en: 'recompute' },
  publish: { 'zh-CN': '发布', en: 'publish' },
  correct: { 'zh-CN': '更正', en: 'correct' },
  discard: { 'zh-CN': '作废', en: 'discard' },
  accept: { 'zh-CN': '受理', en: 'accept' },
  route: { 'zh-CN': '划入网格', en: 'route to a grid' },
  reject: { 'zh-CN': '不予受理', en: 'reject' },
  dispatch: { 'zh-CN': '派遣', en: 'dispatch' },
  sign: { 'zh-CN': '签收', en: 'sign' },
  handle: { 'zh-CN': '处置反馈', en: 'report handled' },
  verify_pass: { 'zh-CN': '核查通过', en: 'verify (pass)' },
  verify_fail: { 'zh-CN': '核查不通过', en: 'verify (fail)' },
  close: { 'zh-CN': '结案', en: 'close' },
  fix_on_spot: { 'zh-CN': '现场处置', en: 'fix on the spot' },
  merge: { 'zh-CN': '合并', en: 'merge' },
  return: { 'zh-CN': '退单', en: 'return' },
  request_extension: { 'zh-CN': '申请延期', en: 'request an extension' },
  grant_extension: { 'zh-CN': '批准延期', en: 'grant the extension' },
  deny_extension: { 'zh-CN': '驳回延期', en: 'deny the extension' },
  co_report: { 'zh-CN': '协办反馈', en: 'report the co-handled part' },
  request_suspend: { 'zh-CN': '申请挂起', en: 'request suspension' },
  suspend: { 'zh-CN': '批准挂起', en: 'suspend' },
  deny_suspend: { 'zh-CN': '驳回挂起', en: 'deny suspension' },
  resume: { 'zh-CN': '恢复办理', en: 'resume' },
  follow_master: { 'zh-CN': '随主案件结案', en: 'close with the master case' },
  evaluate: { 'zh-CN': '评价', en: 'rate' },
  reopen: { 'zh-CN': '回头看重办', en: 'reopen' },
  supervise: { 'zh-CN': '督办', en: 'supervise' },
  // hazards (src/domain/hazards/lifecycle.ts)
  find: { 'zh-CN': '发现隐患', en: 'record a hazard' },
  issue_notice: { 'zh-CN': '下达整改通知书', en: 'issue a rectification notice' },
  record_receipt: { 'zh-CN': '登记企业签收', en: 'record the signed receipt' },
  reinspect_pass: { 'zh-CN': '复查通过', en: 're-inspect (pass)' },
  reinspect_fail: { 'zh-CN': '复查不通过', en: 're-inspect (fail)' },
  extend: { 'zh-CN': '延期整改', en: 'extend the deadline' },
  close_out: { 'zh-CN': '销号', en: 'close out' },
  hand_over: { 'zh-CN': '移交执法', en: 'hand to law enforcement' },
};
/** Role names (also the users sheet's role column). */
export const ROLE_NAMES: Record<string, Texts> = {
  admin: { 'zh-CN': '系统管理员', en: 'administrator' },
  operator: { 'zh-CN': '指挥中心坐席', en: 'operator' },
  grid_worker: { 'zh-CN': '网格员', en: 'grid worker' },
  department: { 'zh-CN': '职能部门处置人员', en: 'department handler' },
  leader: { 'zh-CN': '街道领导', en: 'leader' },
  citizen: { 'zh-CN': '群众', en: 'citizen' },
};
const LEVEL_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  district: { 'zh-CN': '区县', en: 'district' },
  street: { 'zh-CN': '街道/镇', en: 'street' },
  community: { 'zh-CN': '社区', en: 'community' },
  village: { 'zh-CN': '村', en: 'village' },
  '-': { 'zh-CN': '无（区县是最上级）', en: 'nothing (a district is the top level)' },
};

const CATALOG: Catalog = {
  credit_code_invalid: {
    'zh-CN': '统一社会信用代码“{value}”不正确（{reason}）：应为 18 位数字或大写字母（不含 I、O、Z、S、V），末位为校验码，请核对营业执照。',
    en: 'Unified social credit code "{value}" is wrong ({reason}): 18 digits or capitals (no I, O, Z, S, V) ending in a check character; check the business licence.',
  },
  industry_code_unknown: {
    'zh-CN': '行业代码“{value}”不是国民经济行业分类（GB/T 4754-2017）代码，如 C2929。',
    en: 'Industry code "{value}" is not a GB/T 4754-2017 code such as C2929.',
  },
  enterprise_import_invalid: {
    'zh-CN': '企业档案表有 {count} 处错误（第一处在第 {row} 行“{column}”），未导入任何企业。请按明细修改后重新导入。',
    en: 'The enterprise sheet has {count} error(s) (the first in row {row}, “{column}”); no enterprise was imported. Fix them and import again.',
  },
  credit_code_taken: { 'zh-CN': '统一社会信用代码 {value} 已登记为企业“{name}”。', en: 'Credit code {value} is already registered as "{name}".' },
  enterprise_outside_grids: {
    'zh-CN': '企业位置不在任何网格内，请核对经纬度。',
    en: 'The enterprise position lies outside every grid; check the coordinates.',
  },
  unknown_enterprise: { 'zh-CN': '所选企业不存在或不在您的管辖范围内。', en: 'That enterprise does not exist or is outside your scope.' },
  hazard_major_needs_notice: {
    'zh-CN': '重大隐患不能现场整改销号，请下达整改通知书。',
    en: 'A major hazard cannot be fixed on the spot; issue a rectification notice.',
  },
  hazard_major_needs_leader: { 'zh-CN': '重大隐患须经街道领导审批后方可销号。', en: 'Only a leader may close out a major hazard.' },
  hazard_needs_deadline: { 'zh-CN': '请填写整改期限（工作日天数或日期）。', en: 'Give the rectification deadline (working days or a date).' },
  hazard_needs_department: { 'zh-CN': '移交执法时请选择执法部门。', en: 'Choose the law-enforcement department to hand it to.' },
  hazard_deadline_days_invalid: { 'zh-CN': '整改期限应为 1 至 90 个工作日。', en: 'The rectification period must be 1 to 90 working days.' },
  inspection_template_taken: { 'zh-CN': '已有名为“{name}”的排查表，请换一个名称。', en: 'A checklist named "{name}" already exists; choose another name.' },
  unknown_inspection_template: { 'zh-CN': '所选排查表不存在，请重新选择。', en: 'That checklist does not exist; choose another.' },
  hazard_needs_receipt: {
    'zh-CN': '企业尚未签收整改通知书：请先登记企业签收回执（照片或 PDF），再移交执法。',
    en: 'The enterprise has not signed for the notice: record its signed receipt (photo or PDF) before handing it over.',
  },
  hazard_receipt_missing: { 'zh-CN': '请上传企业签收回执（照片或 PDF）。', en: "Upload the enterprise's signed receipt (a photo or a PDF)." },
  receipt_type_refused: {
    'zh-CN': '签收回执只接受 JPEG、PNG、WebP 照片或 PDF 文件（收到的是 {detected}）。',
    en: 'A signed receipt must be a JPEG, PNG or WebP photo or a PDF (got {detected}).',
  },
  inspection_plan_exists: { 'zh-CN': '网格“{grid}”{month} 的排查计划已存在。', en: 'Grid "{grid}" already has an inspection plan for {month}.' },
  inspection_plan_month_invalid: { 'zh-CN': '排查计划月份不正确：应为 YYYY-MM，且不早于上个月。', en: 'The plan month is wrong: YYYY-MM, not before last month.' },
  inspection_plan_empty: { 'zh-CN': '网格“{grid}”内没有在营企业，无需制定排查计划。', en: 'Grid "{grid}" has no operating enterprises to plan inspections for.' },
  inspection_template_retired: { 'zh-CN': '排查表“{name}”已停用，不能再修改或选用。', en: 'The checklist "{name}" is retired; it can no longer be edited or chosen.' },
  inspection_template_industry_unknown: {
    'zh-CN': '适用行业“{value}”不是国民经济行业分类（GB/T 4754）的门类或代码；请填写如 C、C29、C2922 的代码，行业名称，或“通用”。',
    en: 'Industry "{value}" is not a GB/T 4754 section or code; give a code such as C, C29 or C2922, an industry name, or leave it empty for every industry.',
  },
  inspection_template_items_duplicate: { 'zh-CN': '检查项“{text}”重复，请合并或修改。', en: 'The item "{text}" appears more than once; merge or reword it.' },
  inspection_plan_closed: { 'zh-CN': '{month} 的排查计划已结束，不能再修改。', en: 'The inspection plan for {month} is over and can no longer be changed.' },
  inspection_plan_item_done: { 'zh-CN': '企业“{name}”本月已排查，不能从计划中移除。', en: '"{name}" has been inspected this month and cannot be removed from the plan.' },
  inspection_plan_enterprise_invalid: {
    'zh-CN': '所选企业不在网格“{grid}”内或已关停取缔，不能加入该计划。',
    en: 'That enterprise is not in grid "{grid}" or has been shut down; it cannot join the plan.',
  },
  inspection_plan_inspector_invalid: {
    'zh-CN': '所选排查人员已停用，或其负责范围不含网格“{grid}”，请重新选择。',
    en: 'That inspector is disabled or does not cover grid "{grid}"; choose another.',
  },
  ledger_period_invalid: { 'zh-CN': '台账期间不正确：开始日期不能晚于结束日期，且跨度不超过 3 年。', en: 'Ledger period is wrong: the start must not be after the end, and at most 3 years.' },
  // command centre: statistics, map, patrols, points of interest
  stats_period_invalid: { 'zh-CN': '统计时段无效：开始日期须不晚于结束日期，且不超过 {maxDays} 天。', en: 'Invalid period: the first day must not be after the last, and at most {maxDays} days.' },
  map_period_invalid: { 'zh-CN': '地图时段无效：开始日期须不晚于结束日期，且不超过 {maxDays} 天。', en: 'Invalid period for the map: the first day must not be after the last, and at most {maxDays} days.' },
  poi_import_invalid: { 'zh-CN': '导入文件有 {count} 处问题，未导入任何数据。请按明细修改后重新导入。', en: 'The file has {count} problem(s); nothing was imported. Fix them and import again.' },
  poi_import_empty: { 'zh-CN': '请上传 GeoJSON（FeatureCollection）或 Excel（.xlsx）文件。', en: 'Upload a GeoJSON FeatureCollection or an Excel (.xlsx) file.' },
  patrol_not_active: { 'zh-CN': '该巡查已结束，不能再打卡。', en: 'This patrol has ended; no more check-ins.' },
  patrol_not_yours: { 'zh-CN': '只能在自己的巡查中上传轨迹和打卡。', en: 'Only the patrol’s own worker can send its track and check in.' },
  position_inaccurate: { 'zh-CN': '定位精度不足（{accuracy} 米，须在 {max} 米以内），请到开阔处稍候再打卡。', en: 'The position is not accurate enough ({accuracy} m, at most {max} m); wait in the open and check in again.' },
  checkin_outside_scope: { 'zh-CN': '当前位置所在网格不在您的负责范围内，不能打卡。', en: 'The grid at this position is not one of yours; you cannot check in here.' },
  map_box_too_large: {
    'zh-CN': '地图范围过大：该范围在此缩放级别需统计 {cells} 个格子，最多 {maxCells} 个。请放大地图或缩小范围。',
    en: 'The map box is too large: it needs {cells} cells at this zoom, at most {maxCells}. Zoom in or ask for a smaller box.',
  },
  points_out_of_time: { 'zh-CN': '轨迹点时间须在巡查开始之后、当前时间之前。', en: 'Track points must lie between the patrol’s start and now.' },
  return_too_late: {
    'zh-CN': '已超过退单时限，不能退单；如确非本部门职责，请联系指挥中心。',
    en: 'The time to return this work order has passed; call the command centre if it is not yours.',
  },
  extension_pending: { 'zh-CN': '已有延期申请在审批中，请等待指挥中心答复。', en: 'An extension request is already waiting for the command centre.' },
  no_extension_pending: { 'zh-CN': '该案件没有待审批的延期申请。', en: 'This case has no extension request to answer.' },
  suspend_pending: { 'zh-CN': '已有挂起申请在审批中，请等待指挥中心答复。', en: 'A suspension request is waiting for the command centre.' },
  no_suspend_pending: { 'zh-CN': '该案件没有待审批的挂起申请。', en: 'This case has no suspension request to answer.' },
  fix_on_spot_cannot_fail: {
    'zh-CN': '现场处置的案件没有处置部门，核查不通过时请重新上报。',
    en: 'A case fixed on the spot has no department to send it back to; report it again instead.',
  },
  already_evaluated: { 'zh-CN': '该案件已评价过。', en: 'This case has already been rated.' },
  reopen_needs_unsatisfied: {
    'zh-CN': '只有评价为“不满意”或“非常不满意”的案件才能回头看重办。',
    en: 'Only a case rated unsatisfied can be reopened.',
  },
  not_co_department: { 'zh-CN': '只有协办部门可以反馈协办情况。', en: 'Only a co-handling department can report its part.' },
  not_your_work_order: {
    'zh-CN': '该工单的主办部门不是您的部门，不能执行“{move}”。',
    en: 'This work order belongs to another department; you cannot {move} it.',
  },
  move_needs_master: { 'zh-CN': '合并时请指定主案件。', en: 'Choose the case to merge into.' },
  move_needs_rating: { 'zh-CN': '请选择评价等级（1–5）。', en: 'Choose a rating from 1 to 5.' },
  master_invalid: {
    'zh-CN': '不能合并到该案件：主案件必须是另一个已受理、未办结的案件。',
    en: 'Cannot merge into that case: the master must be another accepted case that is still open.',
  },
  unknown_key_unit: { 'zh-CN': '所选重点单位不存在，请重新选择。', en: 'That key unit does not exist; choose another.' },
  unknown_grid: { 'zh-CN': '所选网格不存在或已撤销，请重新选择。', en: 'That grid does not exist or was retired; choose another.' },
  extension_not_later: {
    'zh-CN': '申请的新期限必须晚于当前期限。',
    en: 'The proposed deadline must be later than the current one.',
  },
  case_unrouted: {
    'zh-CN': '该案件位置不在任何网格内，请先划入网格再受理。',
    en: 'This case lies outside every grid; route it to a grid before accepting it.',
  },
  move_needs_grid: { 'zh-CN': '请选择要划入的网格。', en: 'Choose the grid to route the case to.' },
  co_department_invalid: {
    'zh-CN': '协办部门不能与主办部门相同，且必须存在。',
    en: 'Co-handling departments must exist and differ from the main department.',
  },
  move_forbidden_for_role: {
    'zh-CN': '{role}不能执行“{move}”操作。',
    en: 'A {role} may not {move} a case.',
  },
  move_not_allowed_in_state: {
    'zh-CN': '案件当前状态为“{state}”，不能执行“{move}”。请刷新页面查看最新状态。',
    en: 'The case is {state}; it cannot be moved by "{move}" now. Reload to see its current state.',
  },
  move_needs_note: { 'zh-CN': '“{move}”需要填写说明。', en: '"{move}" needs a note explaining it.' },
  move_needs_department: { 'zh-CN': '派遣时请选择处置部门。', en: 'Choose the department to dispatch to.' },
  move_needs_deadline: { 'zh-CN': '派遣时请设置处置期限。', en: 'Set a deadline for the dispatch.' },
  move_needs_photos: { 'zh-CN': '“{move}”需要至少一张照片。', en: '"{move}" needs at least one photo.' },
  deadline_in_past: { 'zh-CN': '处置期限必须晚于当前时间。', en: 'The deadline must be in the future.' },
  version_conflict: {
    'zh-CN': '该案件刚刚被其他人处理过，请刷新后再操作。',
    en: 'Someone else changed this case just now. Reload it and try again.',
  },
  not_found: { 'zh-CN': '未找到该记录，或您无权查看。', en: 'Not found, or outside your scope.' },
  forbidden: { 'zh-CN': '您没有执行此操作的权限。', en: 'You are not allowed to do this.' },
  position_outside_grids: {
    'zh-CN': '所选位置不在任何网格内，请在地图上重新选择位置。',
    en: 'The position is outside every grid. Pick the position again on the map.',
  },
  unknown_category: { 'zh-CN': '所选分类不存在，请重新选择。', en: 'That category does not exist; choose another.' },
  unknown_department: { 'zh-CN': '所选部门不存在，请重新选择。', en: 'That department does not exist; choose another.' },
  unknown_photo: {
    'zh-CN': '照片 {hash} 未上传成功，请重新上传。',
    en: 'Photo {hash} was not uploaded; upload it again.',
  },
  photo_type_refused: {
    'zh-CN': '只接受 JPEG、PNG 或 WebP 格式的照片（收到的文件是 {detected}）。',
    en: 'Only JPEG, PNG or WebP photos are accepted (this file is {detected}).',
  },
  photo_too_large: {
    'zh-CN': '照片不能超过 {limitMb} MB，请压缩后再上传。',
    en: 'A photo may be at most {limitMb} MB; make it smaller and upload again.',
  },
  photo_empty: { 'zh-CN': '请选择要上传的照片。', en: 'Choose a photo to upload.' },
  too_many_photos: { 'zh-CN': '最多上传 9 张照片。', en: 'At most 9 photos.' },
  invalid_credentials: { 'zh-CN': '用户名或密码错误。', en: 'Wrong username or password.' },
  login_throttled: {
    'zh-CN': '登录失败次数过多，请 {minutes} 分钟后再试。',
    en: 'Too many failed logins; try again in {minutes} minutes.',
  },
  unauthenticated: { 'zh-CN': '请先登录。', en: 'Please log in.' },
  csrf_failed: {
    'zh-CN': '页面已过期，请刷新页面后重试。',
    en: 'This page has expired; reload it and try again.',
  },
  password_change_required: {
    'zh-CN': '首次登录请先修改密码。',
    en: 'Change your password before you continue.',
  },
  wrong_current_password: { 'zh-CN': '当前密码不正确。', en: 'The current password is wrong.' },
  password_too_weak: {
    'zh-CN': '新密码至少 8 位，且不能与用户名或旧密码相同。',
    en: 'The new password needs at least 8 characters and must differ from the username and the old password.',
  },
  username_taken: { 'zh-CN': '用户名 {username} 已存在。', en: 'The username {username} is taken.' },
  invalid_scope: { 'zh-CN': '用户的管辖范围无效：{reason}', en: 'Invalid scope for this user: {reason}' },
  calendar_year_unknown: {
    'zh-CN': '{year} 年超出工作日历可推算的范围（已有官方安排的年份，以及之后两年按法定节假日暂定的安排），无法计算期限。请检查日期；如确需使用，请管理员在“工作日历”中导入 {year} 年的放假安排。',
    en: 'The year {year} is beyond what the working calendar can compute (years with an official schedule, and two more years provisionally from the statutory holidays), so the time limit cannot be computed. Check the date; if it is right, an administrator must import the {year} holiday schedule.',
  },
  calendar_year_out_of_range: {
    'zh-CN': '{year} 年不在可导入的范围内（{first} 年至 {last} 年），没有导入任何日期。',
    en: 'The year {year} is outside the years that can be imported ({first} to {last}); nothing was imported.',
  },
  calendar_import_invalid: {
    'zh-CN': '第 {line} 行：{reason}',
    en: 'Line {line}: {reason}',
  },
  calendar_working_hours_invalid: {
    'zh-CN': '工作时间段 {period} 无效：每段须开始早于结束，各段按先后顺序排列且互不重叠。',
    en: 'The working period {period} is invalid: each period must start before it ends, and periods must be in order without overlapping.',
  },
  calendar_date_invalid: { 'zh-CN': '日期 {date} 无效，请使用 YYYY-MM-DD 格式。', en: 'The date {date} is invalid; use YYYY-MM-DD.' },
  // Grid administration. The *_invalid codes head a list of problems (`errors`), each rendered on its own.
  grid_import_invalid: {
    'zh-CN': '网格导入未通过检查（{count} 个问题），没有保存任何内容。{first}',
    en: 'The grid import failed its checks ({count} problem(s)); nothing was saved. {first}',
  },
  grid_people_invalid: {
    'zh-CN': '网格人员表有 {count} 处错误，没有导入任何人员。{first}',
    en: 'The people sheet has {count} error(s); nobody was imported. {first}',
  },
  grid_geometry_invalid: { 'zh-CN': '网格边界不可用，没有保存。{first}', en: 'The grid boundary cannot be used; nothing was saved. {first}' },
  grid_split_invalid: { 'zh-CN': '无法按此方式拆分网格，没有保存。{first}', en: 'The grid cannot be split this way; nothing was saved. {first}' },
  grid_retired: { 'zh-CN': '网格 {code} 已撤销，不能再修改。', en: 'Grid {code} has been retired and can no longer be changed.' },
  grid_has_children: {
    'zh-CN': '网格 {code} 下还有 {count} 个下级网格，请先拆分或撤销下级网格。',
    en: 'Grid {code} still has {count} child grid(s); split or retire them first.',
  },
  grid_version_conflict: {
    'zh-CN': '网格 {code} 刚刚被其他人修改过，请刷新后再操作。',
    en: 'Someone else changed grid {code} just now. Reload it and try again.',
  },
  grids_changed: {
    'zh-CN': '检查期间其他人修改了网格，重叠检查需要重新进行，请再提交一次。',
    en: 'Someone else changed grids while this was being checked; submit it again to check against their change.',
  },
  grid_code_exhausted: { 'zh-CN': '网格 {code} 下已没有可用的下级编码。', en: 'No child codes are left under grid {code}.' },
  grid_person_phone_invalid: {
    'zh-CN': '手机号“{value}”不正确，应为 11 位大陆手机号码。',
    en: 'The phone "{value}" is not an 11-digit mainland China mobile number.',
  },
  coverage_no_boundary: {
    'zh-CN': '{name}（{code}）还没有边界，无法检查网格覆盖情况。请先为它导入边界。',
    en: '{name} ({code}) has no boundary yet, so coverage cannot be checked. Import its boundary first.',
  },
  unknown_division: { 'zh-CN': '所选行政区划不存在，请重新选择。', en: 'That division does not exist; choose another.' },
  key_unit_grid_invalid: {
    'zh-CN': '重点单位所属网格必须是未撤销的 C 类（重点单位）网格。',
    en: 'A key unit’s grid must be an active C-class (key unit) grid.',
  },
  // Administration: divisions, departments, users, categories (src/services/admin-*.ts).
  division_code_invalid: {
    'zh-CN': '区划编码“{code}”不正确：应为 {digits} 位数字（区县 6 位、街道/镇 9 位、社区/村 12 位）。',
    en: 'The division code "{code}" is wrong: it needs {digits} digits (district 6, street 9, community/village 12).',
  },
  division_code_not_extending: {
    'zh-CN': '区划编码 {code} 必须以上级编码 {parent} 开头，并在其后加上本级编码（不能全为 0）。',
    en: 'The division code {code} must start with its parent’s code {parent} and add its own digits (not all zeros).',
  },
  division_parent_invalid: {
    'zh-CN': '该级区划的上级必须是{parentLevel}。',
    en: 'A division of this level must sit under a {parentLevel}.',
  },
  division_code_taken: { 'zh-CN': '区划编码 {code} 已被“{name}”使用。', en: 'The division code {code} is already used by “{name}”.' },
  division_geometry_invalid: { 'zh-CN': '区划边界不可用，没有保存。{first}', en: 'The boundary cannot be used; nothing was saved. {first}' },
  department_code_taken: { 'zh-CN': '部门编码 {code} 已被“{name}”使用。', en: 'The department code {code} is already used by “{name}”.' },
  department_has_open_work: {
    'zh-CN': '“{name}”还有 {count} 个未办结的工单（{cases}），请先改派或办结后再撤销。',
    en: '“{name}” still has {count} open work order(s) ({cases}); reassign or finish them before retiring it.',
  },
  department_retired: { 'zh-CN': '部门“{name}”已撤销，不能再选用或修改。', en: 'The department “{name}” has been retired; it can no longer be chosen or changed.' },
  scope_required: {
    'zh-CN': '{role}必须指定管辖范围（街道、社区/村或网格）。',
    en: 'The role {role} needs a scope (a street, community/village or grid).',
  },
  export_too_large: {
    'zh-CN': '符合条件的记录有 {count} 条，单次最多导出 {max} 条；请缩小筛选范围（例如时间段）后再导出。',
    en: '{count} records match; at most {max} can be exported at once. Narrow the filter (e.g. the period) and export again.',
  },
  several_scopes_grids_only: {
    'zh-CN': '只有网格员可以负责多个范围，且只能是多个网格；{role}请只选择一个街道、社区/村或网格。',
    en: 'Only a grid worker may have several scopes, and then only grids; give the role {role} one street, community/village or grid.',
  },
  user_has_open_tasks: {
    'zh-CN': '“{name}”还负责 {grids}，其中有 {count} 个待办案件（{cases}）；请先在“停用”对话框中把这些网格交给其他网格员，再停用。',
    en: '“{name}” still holds {grids} with {count} open case(s) ({cases}); hand these grids to another grid worker in the deactivation dialog first.',
  },
  grid_person_linked: {
    'zh-CN': '“{name}”是用户账号对应的网格员，请在“用户管理”中调整其负责的网格。',
    en: '“{name}” stands for a user account; change the grids it holds under Users.',
  },
  reassign_target_invalid: {
    'zh-CN': '接手人必须是另一位在用的{role}。',
    en: 'The successor must be another active {role}.',
  },
  scope_not_allowed: { 'zh-CN': '{role}不设管辖范围，请清除所选区划或网格。', en: 'The role {role} has no scope; clear the chosen division or grid.' },
  department_required: { 'zh-CN': '职能部门处置人员必须选择所属部门。', en: 'A department handler needs a department.' },
  department_not_allowed: { 'zh-CN': '只有职能部门处置人员才属于部门，{role}请不要选择部门。', en: 'Only department handlers belong to a department, not the role {role}.' },
  user_holds_open_work: {
    'zh-CN': '“{name}”是能处理以下 {count} 个未办结案件的唯一账号（{cases}），请先为这些案件安排其他人员后再停用。',
    en: '“{name}” is the only account able to act on {count} open case(s) ({cases}); give them to someone else before deactivating this account.',
  },
  last_admin: {
    'zh-CN': '不能停用、锁定或改变最后一个系统管理员的角色，请先创建另一个管理员。',
    en: 'The last administrator cannot be deactivated, locked or given another role; create another administrator first.',
  },
  not_on_yourself: { 'zh-CN': '不能对自己的账号执行此操作，请让另一位管理员操作。', en: 'You cannot do this to your own account; ask another administrator.' },
  user_deactivated: { 'zh-CN': '账号 {username} 已停用，不能再修改。', en: 'The account {username} has been deactivated and can no longer be changed.' },
  account_locked: { 'zh-CN': '该账号已被管理员锁定，请联系系统管理员。', en: 'This account has been locked by an administrator; contact your administrator.' },
  categories_present: {
    'zh-CN': '已有 {count} 个分类，标准分类只能在没有分类时一次性采用；请在“分类与时限”中逐个调整。',
    en: 'There are already {count} categories; the standard tree can only be adopted when there are none. Edit categories one by one instead.',
  },
  user_import_invalid: {
    'zh-CN': '用户表有 {count} 处错误，没有导入任何用户。{first}',
    en: 'The users sheet has {count} error(s); nobody was imported. {first}',
  },
  category_code_invalid: {
    'zh-CN': '分类编码“{code}”不正确：大类为 2 位数字，小类为所属大类编码（{parent}）加 2 位数字；小类下不能再建分类。',
    en: 'The category code “{code}” is wrong: a class has 2 digits, a subcategory its class’s code ({parent}) plus 2 digits; nothing goes under a subcategory.',
  },
  category_code_taken: { 'zh-CN': '分类编码 {code} 已被“{name}”使用。', en: 'The category code {code} is already used by “{name}”.' },
  category_retired: {
    'zh-CN': '分类 {code}“{name}”已停用，新案件不能再选用，也不能在其下新建或移入分类。',
    en: 'The category {code} “{name}” has been retired: new cases cannot use it, and nothing can be created in or moved into it.',
  },
  category_move_class: {
    'zh-CN': '“{name}”是大类，大类不能移动；请逐个移动其下的小类。',
    en: '“{name}” is a class; classes do not move. Move its subcategories one by one.',
  },
  category_move_target_invalid: {
    'zh-CN': '分类 {code} 不能移到“{target}”：只能移到另一个大类下面（分类只有大类和小类两级）。',
    en: 'The category {code} cannot move to “{target}”: it can only go under another class (the tree has classes and subcategories only).',
  },
  category_move_kind: {
    'zh-CN': '“{name}”与“{target}”不是同一种类（事件/部件），不能移入。',
    en: '“{name}” and “{target}” are not of the same kind (event/component); it cannot be moved there.',
  },
  department_merge_same: { 'zh-CN': '部门不能并入自身，请选择另一个部门。', en: 'A department cannot be merged into itself; choose another department.' },
  department_merge_target_retired: {
    'zh-CN': '部门“{name}”已撤销，不能接收合并；请选择在用的部门。',
    en: 'The department “{name}” has been retired and cannot take a merge; choose an active department.',
  },
  department_contact_phone_invalid: {
    'zh-CN': '第 {row} 位联系人“{name}”的电话“{value}”不正确，应为手机号或带区号的座机（如 0537-2345678）；没有保存。',
    en: 'Contact {row} “{name}”: the phone “{value}” is neither a mobile number nor an office line with its area code (e.g. 0537-2345678); nothing was saved.',
  },
  department_contacts_too_many: { 'zh-CN': '一个部门最多登记 {max} 位联系人。', en: 'A department has at most {max} contacts.' },
  division_import_invalid: {
    'zh-CN': '社区/村导入有 {count} 处错误，没有导入任何内容。{first}',
    en: 'The communities/villages file has {count} error(s); nothing was imported. {first}',
  },
  district_unknown: {
    'zh-CN': '区县编码 {code} 不在随系统提供的 GB/T 2260 代码表中，请同时填写区县名称。',
    en: 'The district code {code} is not in the GB/T 2260 list shipped with the system; give the district’s name as well.',
  },
  // Problems of one row or feature of a communities/villages import, shown inside division_import_invalid.
  division_import_unreadable: { 'zh-CN': '文件既不是可读取的 Excel（.xlsx），也不是 GeoJSON 要素集。', en: 'The file is neither a readable Excel (.xlsx) file nor a GeoJSON FeatureCollection.' },
  division_import_empty: { 'zh-CN': '文件中没有任何社区或村。', en: 'The file contains no community or village.' },
  division_import_too_many: { 'zh-CN': '单次最多导入 {max} 个社区/村。', en: 'At most {max} communities/villages per import.' },
  division_import_missing_column: { 'zh-CN': '表头缺少“{column}”列。', en: 'The header has no “{column}” column.' },
  division_import_missing: { 'zh-CN': '缺少“{column}”。', en: '“{column}” is missing.' },
  division_import_level: { 'zh-CN': '级别“{value}”无效，应为“社区”或“村”。', en: 'The level “{value}” is neither community (社区) nor village (村).' },
  division_import_duplicate: { 'zh-CN': '编码 {code} 在文件中重复（第 {other} 处已有）。', en: 'The code {code} repeats entry {other} of the file.' },
  division_import_unknown_parent: {
    'zh-CN': '编码 {code} 的前 9 位 {parent} 不是已建立的街道，请先建立街道或改正编码。',
    en: 'The first 9 digits of {code}, {parent}, name no street set up here; create the street first or correct the code.',
  },
  division_import_level_mismatch: {
    'zh-CN': '编码 {code} 已被“{name}”使用，且级别或上级不同，不能用导入更改。',
    en: 'The code {code} is already used by “{name}” at another level or under another parent; an import cannot change that.',
  },
  // Problems of one row of the users sheet, shown inside user_import_invalid.
  user_sheet_unreadable: { 'zh-CN': '文件不是可读取的 Excel（.xlsx）文件。', en: 'The file is not a readable Excel (.xlsx) file.' },
  user_sheet_missing_column: { 'zh-CN': '表头缺少“{column}”列。', en: 'The header has no “{column}” column.' },
  user_sheet_too_many: { 'zh-CN': '行数过多，单次最多导入 {max} 个用户。', en: 'Too many rows; at most {max} users per import.' },
  user_sheet_empty: { 'zh-CN': '表中没有任何用户。', en: 'The sheet contains no users.' },
  user_sheet_bad_username: {
    'zh-CN': '第 {row} 行：用户名“{value}”只能包含字母、数字和 _ . @ -，2–40 位。',
    en: 'Row {row}: the username “{value}” may contain only letters, digits and _ . @ -, 2 to 40 characters.',
  },
  user_sheet_missing: { 'zh-CN': '第 {row} 行：缺少“{column}”。', en: 'Row {row}: “{column}” is missing.' },
  user_sheet_bad_role: {
    'zh-CN': '第 {row} 行：角色“{value}”无效，应为系统管理员、指挥中心坐席、网格员、职能部门处置人员、街道领导或群众。',
    en: 'Row {row}: the role “{value}” is not one of 系统管理员, 指挥中心坐席, 网格员, 职能部门处置人员, 街道领导, 群众 (or admin, operator, grid_worker, department, leader, citizen).',
  },
  user_sheet_duplicate: { 'zh-CN': '第 {row} 行：用户名 {value} 与第 {other} 行重复。', en: 'Row {row}: the username {value} repeats row {other}.' },
  user_sheet_taken: { 'zh-CN': '第 {row} 行：用户名 {value} 已存在。', en: 'Row {row}: the username {value} is taken.' },
  user_sheet_scope_required: { 'zh-CN': '第 {row} 行：{role}必须填写管辖范围编码。', en: 'Row {row}: the role {role} needs a scope code.' },
  user_sheet_unknown_scope: {
    'zh-CN': '第 {row} 行：管辖范围编码 {value} 既不是区划也不是未撤销的网格。',
    en: 'Row {row}: the scope code {value} is neither a division nor an active grid.',
  },
  user_sheet_several_scopes: {
    'zh-CN': '第 {row} 行：管辖范围“{value}”有多个编码；只有网格员可以填写多个网格编码（用逗号分隔）。',
    en: 'Row {row}: the scope “{value}” names several codes; only a grid worker may name several grid codes (comma-separated).',
  },
  user_sheet_scope_not_allowed: { 'zh-CN': '第 {row} 行：{role}不设管辖范围，请清空该格。', en: 'Row {row}: the role {role} has no scope; clear the cell.' },
  user_sheet_department_required: { 'zh-CN': '第 {row} 行：职能部门处置人员必须填写部门编码。', en: 'Row {row}: a department handler needs a department code.' },
  user_sheet_unknown_department: { 'zh-CN': '第 {row} 行：部门编码 {value} 不存在或已撤销。', en: 'Row {row}: the department code {value} does not exist or was retired.' },
  user_sheet_department_not_allowed: { 'zh-CN': '第 {row} 行：{role}不属于部门，请清空部门编码。', en: 'Row {row}: the role {role} belongs to no department; clear the department code.' },
  // Problems of one feature, sheet row or boundary, shown inside the lists above.
  grid_import_retired_code: {
    'zh-CN': '网格编码 {code} 属于已撤销的网格，编码不能重复使用。',
    en: 'grid code {code} belongs to a retired grid; codes are never reused.',
  },
  grid_import_parent_changed: {
    'zh-CN': '网格 {code} 的上级是 {current}，文件中为 {parent}；导入不能更改上级，请拆分或撤销后新建。',
    en: 'grid {code} lies under {current}, but the file says {parent}; an import cannot move a grid (retire it and create a new one).',
  },
  grid_import_bad_number: {
    'zh-CN': '“{field}”应为不小于 0 的整数，文件中为“{value}”。',
    en: '"{field}" must be a whole number of at least 0, not "{value}".',
  },
  grid_child_outside: {
    'zh-CN': '下级网格 {child} 会超出新边界约 {areaM2} 平方米（位置 {at}）。',
    en: 'child grid {child} would extend about {areaM2} m² beyond the new boundary (at {at}).',
  },
  grid_split_line: {
    'zh-CN': '拆分线应从网格外开始、穿过网格一次、在网格外结束（与边界恰好相交两次），现在相交 {count} 次。',
    en: 'the split line must start outside the grid, cross it once and end outside (meeting the boundary exactly twice); it meets it {count} time(s).',
  },
  grid_split_multipolygon: {
    'zh-CN': '由多个面组成的网格不能用拆分线拆分，请直接画出两个部分。',
    en: 'a grid made of several polygons cannot be split by a line; draw the two parts instead.',
  },
  grid_split_gap: {
    'zh-CN': '两个部分没有完全覆盖原网格，空隙约 {areaM2} 平方米（位置 {at}）。',
    en: 'the two parts leave about {areaM2} m² of the grid uncovered (at {at}).',
  },
  grid_split_overlap: { 'zh-CN': '两个部分重叠约 {areaM2} 平方米。', en: 'the two parts overlap by about {areaM2} m².' },
  // Reasons an import line is refused; shown inside calendar_import_invalid.
  calendar_import_bad_format: {
    'zh-CN': '格式应为“日期 类型 说明”，例如“2027-01-01 休 元旦”。',
    en: 'Expected "date kind note", e.g. "2027-01-01 holiday New Year".',
  },
  calendar_import_bad_date: { 'zh-CN': '日期“{value}”无效。', en: 'The date "{value}" is invalid.' },
  calendar_import_bad_kind: {
    'zh-CN': '类型“{value}”无效，应为 休（holiday）或 班（workday）。',
    en: 'The kind "{value}" is invalid; use holiday (休) or workday (班).',
  },
  calendar_import_bad_range: {
    'zh-CN': '日期范围“{value}”无效（结束早于开始，或超过 62 天）。',
    en: 'The date range "{value}" is invalid (it ends before it starts, or is longer than 62 days).',
  },
  calendar_import_conflict: {
    'zh-CN': '{value} 在导入内容中既是休息日又是补班日。',
    en: '{value} appears both as a holiday and as a workday in the import.',
  },
  calendar_import_empty: { 'zh-CN': '导入内容中没有任何日期。', en: 'The import contains no dates.' },
  calendar_import_ics_no_date: { 'zh-CN': '该日程缺少开始日期（DTSTART）。', en: 'This event has no start date (DTSTART).' },
  calendar_import_ics_date_time: {
    'zh-CN': '只支持全天日程（DTSTART;VALUE=DATE），不支持带时刻的“{value}”。',
    en: 'Only all-day events (DTSTART;VALUE=DATE) are supported, not the timed value "{value}".',
  },
  calendar_import_ics_recurring: { 'zh-CN': '不支持重复日程（RRULE）。', en: 'Recurring events (RRULE) are not supported.' },
  calendar_import_ics_unclosed: { 'zh-CN': '日程缺少 END:VEVENT。', en: 'The event has no END:VEVENT.' },
  list_cursor_invalid: {
    'zh-CN': '翻页位置无效，请回到第一页重新查询。',
    en: 'That page position is not valid; go back to the first page and search again.',
  },
  validation_failed: {
    'zh-CN': '输入有误：{details}',
    en: 'Invalid input: {details}',
  },
  rate_limited: { 'zh-CN': '请求过于频繁，请稍后再试。', en: 'Too many requests; try again shortly.' },
  internal: { 'zh-CN': '服务器内部错误，请稍后再试。', en: 'Internal error; try again later.' },
  // hardening (issue 10): framework refusals in the user's language, each naming the limit that refused it
  body_too_large: {
    'zh-CN': '请求内容过大：本接口最多接受 {limit}，请减小后再试。',
    en: 'The request is too large: this endpoint accepts at most {limit}; send less and try again.',
  },
  file_too_large: {
    'zh-CN': '上传的文件过大：本接口最多接受 {limit} 的文件。',
    en: 'The uploaded file is too large: this endpoint accepts files of at most {limit}.',
  },
  too_many_files: { 'zh-CN': '一次只能上传 {limit} 个文件。', en: 'Upload at most {limit} file(s) at a time.' },
  unsupported_media_type: {
    'zh-CN': '不支持的内容类型“{type}”，本接口接受：{accepted}。',
    en: 'Unsupported content type "{type}"; this endpoint accepts: {accepted}.',
  },
  body_unreadable: { 'zh-CN': '请求内容无法读取：{details}', en: 'The request body cannot be read: {details}' },
  multipart_invalid: {
    'zh-CN': '上传内容格式有误（multipart 分隔符或表单字段不正确），请重新选择文件上传。',
    en: 'The upload is malformed (wrong multipart boundary or form fields); choose the file and upload again.',
  },
  request_invalid: { 'zh-CN': '请求无效（{code}）。', en: 'Invalid request ({code}).' },
  value_out_of_range: {
    'zh-CN': '输入有误：有数值超出允许范围，或文字中含有不允许的字符。',
    en: 'Invalid input: a number is out of range, or a text holds characters that are not allowed.',
  },
  photo_too_many_pixels: {
    'zh-CN': '照片像素过多（{megapixels} 百万像素），最多 {limitMegapixels} 百万像素，请缩小后再上传。',
    en: 'The photo has too many pixels ({megapixels} megapixels); at most {limitMegapixels} megapixels. Make it smaller and upload again.',
  },
  work_timed_out: {
    'zh-CN': '计算超时（超过 {seconds} 秒），请缩小范围或减少数据后再试。',
    en: 'The computation took longer than {seconds} seconds; try a smaller area or less data.',
  },
  work_busy: {
    'zh-CN': '服务器正忙于其他计算，请稍后再试。',
    en: 'The server is busy with other computations; try again shortly.',
  },
  coverage_failed: {
    'zh-CN': '无法完成覆盖检查：边界过于复杂或有重叠顶点（{reason}）。请检查该区域的网格边界后重试。',
    en: 'The coverage check could not be completed: the boundaries are too complex or have coinciding vertices ({reason}). Check the grid boundaries of this area and try again.',
  },
  spreadsheet_too_large: {
    'zh-CN': '表格过大：最多 {maxRows} 行、解压后最多 {maxMb} MB。',
    en: 'The spreadsheet is too large: at most {maxRows} rows and {maxMb} MB uncompressed.',
  },
  assessment_period_invalid: {
    'zh-CN': '考核时段“{period}”无效：月份写作 2026-11，季度 2026-Q4，周 2026-W48，年度 2026；排名只按月。',
    en: 'The assessment period “{period}” is not valid: a month is 2026-11, a quarter 2026-Q4, a week 2026-W48, a year 2026; rankings are monthly.',
  },
  assessment_scheme_invalid: {
    'zh-CN': '考核办法有误：{problems}。每项指标只能出现一次，分值须大于 0，且至少有一项。',
    en: 'The assessment scheme is not valid: {problems}. Each indicator at most once, every weight above 0, at least one item.',
  },
  assessment_already_published: {
    'zh-CN': '{period} 的该排名已发布（编号 {id}）；如需修改，请对已发布的排名提出更正并说明原因。',
    en: 'This ranking for {period} is already published (no. {id}); to change it, correct the published ranking and give the reason.',
  },
};

/**
 * Notification titles and bodies (src/domain/notice.ts): stored as a code with parameters and rendered in the
 * reader's language when read (GET /api/notifications), so the same notice reads in Chinese or English.
 */
export const NOTICE_MESSAGES = {
  notice_new_task: { 'zh-CN': '新工单 {number}', en: 'New work order {number}' },
  notice_returned: { 'zh-CN': '工单 {number} 被退回', en: 'Work order {number} was returned' },
  notice_extension_requested: { 'zh-CN': '案件 {number} 申请延期', en: 'Case {number}: an extension is requested' },
  notice_extension_granted: { 'zh-CN': '案件 {number} 延期已批准', en: 'Case {number}: the extension is granted' },
  notice_extension_denied: { 'zh-CN': '案件 {number} 延期未批准', en: 'Case {number}: the extension is denied' },
  notice_suspend_requested: { 'zh-CN': '案件 {number} 申请挂起', en: 'Case {number}: suspension is requested' },
  notice_suspended: { 'zh-CN': '案件 {number} 已挂起', en: 'Case {number} is suspended' },
  notice_suspend_denied: { 'zh-CN': '案件 {number} 挂起未批准', en: 'Case {number}: the suspension is denied' },
  notice_resumed: { 'zh-CN': '案件 {number} 恢复办理', en: 'Case {number} is resumed' },
  notice_to_verify: { 'zh-CN': '案件 {number} 待核查', en: 'Case {number} awaits verification' },
  notice_to_close: { 'zh-CN': '案件 {number} 待结案', en: 'Case {number} awaits closing' },
  notice_verify_failed: { 'zh-CN': '案件 {number} 核查不通过，需返工', en: 'Case {number} failed verification and must be reworked' },
  notice_unsatisfied: {
    'zh-CN': '案件 {number} 评价不满意（{rating}星），需回头看',
    en: 'Case {number} was rated unsatisfactory ({rating} stars) and needs a follow-up',
  },
  notice_supervised: { 'zh-CN': '案件 {number} 被督办（{level} 级）', en: 'Case {number} is supervised (level {level})' },
  notice_deadline_warning: { 'zh-CN': '案件 {number} 即将超期（预警）', en: 'Case {number} is about to be overdue (warning)' },
  notice_deadline_overdue: { 'zh-CN': '案件 {number} 已超期', en: 'Case {number} is overdue' },
  notice_deadline_escalated: {
    'zh-CN': '案件 {number} 超期未办，已上报领导',
    en: 'Case {number} is overdue and has been escalated to the leaders',
  },
  notice_deadlines_recomputed: {
    'zh-CN': '工作日历更新：{count} 个工单的时限已重算',
    en: 'Working calendar updated: the time limits of {count} work orders were recomputed',
  },
  notice_login_locked: {
    'zh-CN': '账号登录保护：来自 {source} 的连续 {failures} 次登录失败',
    en: 'Account protection: {failures} failed logins in a row from {source}',
  },
  notice_hazard_major: { 'zh-CN': '重大隐患 {number}：{enterprise}', en: 'Major hazard {number}: {enterprise}' },
  notice_hazard_major_passed: {
    'zh-CN': '重大隐患 {number} 复查通过，待领导审批销号',
    en: 'Major hazard {number} passed re-inspection and awaits a leader\'s approval to close it out',
  },
  notice_hazard_due_soon: { 'zh-CN': '隐患 {number} 整改即将到期（黄色预警）', en: 'Hazard {number}: the rectification deadline is near (yellow warning)' },
  notice_hazard_overdue: { 'zh-CN': '隐患 {number} 整改已超期（红色预警）', en: 'Hazard {number}: the rectification deadline has passed (red warning)' },
  notice_hazard_deadline_body: { 'zh-CN': '整改通知书 {notice}，整改期限 {deadline}', en: 'Rectification notice {notice}, deadline {deadline}' },
  notice_login_locked_body: {
    'zh-CN': '该来源已暂停登录 {minutes} 分钟；您自己的登录不受影响。如果不是您本人操作，请尽快修改密码。',
    en: 'Logins from that address are paused for {minutes} minutes; your own logins are not affected. If this was not you, change your password soon.',
  },
} satisfies Catalog;
export type NoticeCode = keyof typeof NOTICE_MESSAGES;

/** Where a listed problem stands (a feature of an import, a row of a sheet), written before its text. */
export const PROBLEM_PLACES = {
  problem_feature: { 'zh-CN': '第 {n} 个要素', en: 'Feature {n}' },
  problem_feature_code: { 'zh-CN': '第 {n} 个要素（编码 {code}）', en: 'Feature {n} (code {code})' },
  problem_row: { 'zh-CN': '第 {row} 行', en: 'Row {row}' },
  problem_row_column: { 'zh-CN': '第 {row} 行“{column}”', en: 'Row {row}, {column}' },
  problem_at: { 'zh-CN': '{place}：{body}', en: '{place}: {body}' },
} satisfies Catalog;

/** A message as stored: its code and parameters, rendered in the reader's language when read. */
export interface MessageRef<C extends string = string> {
  code: C;
  params: Record<string, string | number>;
}

export function renderMessage(ref: MessageRef, lang: Lang): string {
  return message(ref.code, ref.params, lang);
}

/**
 * One table of names in one language, as the web app's labels take it: English capitalised (a label or a button
 * starts a line), Chinese as written. Names are defined once, here; the web does not keep copies.
 */
export function labelsIn(table: Record<string, Texts>, lang: Lang, keys?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys ?? Object.keys(table)) {
    const text = table[k]?.[lang];
    if (text === undefined) continue;
    out[k] = lang === 'en' ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }
  return out;
}

function word(table: Record<string, { 'zh-CN': string; en: string }>, key: string, lang: Lang): string {
  return table[key]?.[lang] ?? key;
}

export function message(code: string, params: Record<string, string | number>, lang: Lang): string {
  const template = (CATALOG[code] ?? (NOTICE_MESSAGES as Catalog)[code] ?? (PROBLEM_PLACES as Catalog)[code])?.[lang] ?? code;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v == null) return '';
    if (k === 'state') return word(STATE_NAMES, String(v), lang);
    if (k === 'move') return word(MOVE_NAMES, String(v), lang);
    if (k === 'role') return word(ROLE_NAMES, String(v), lang);
    if (k === 'parentLevel') return word(LEVEL_NAMES, String(v), lang);
    return String(v);
  });
}

export function pickLang(acceptLanguage: string | undefined, cookieLang?: string): Lang {
  if (cookieLang === 'en' || cookieLang === 'zh-CN') return cookieLang;
  if (acceptLanguage && /^en\b/i.test(acceptLanguage.trim())) return 'en';
  return 'zh-CN';
}

// ---- grid problems (src/domain/grids/messages.ts renders them per feature or row) ---------------------------------

export type GridProblemCode =
  // document level
  | 'invalid_json'
  | 'not_feature_collection'
  | 'no_features'
  | 'too_many_features'
  | 'too_many_vertices'
  // feature level
  | 'not_feature'
  | 'missing_code'
  | 'invalid_code'
  | 'missing_name'
  | 'name_too_long'
  | 'missing_parent'
  | 'invalid_class'
  | 'invalid_level'
  // geometry
  | 'missing_geometry'
  | 'not_polygon'
  | 'malformed_coordinates'
  | 'coordinate_not_finite'
  | 'coordinate_out_of_range'
  | 'ring_not_closed'
  | 'ring_too_short'
  | 'ring_zero_area'
  | 'self_intersection'
  | 'hole_outside_shell'
  // set level
  | 'duplicate_code'
  | 'code_not_extending_parent'
  | 'unknown_parent'
  | 'outside_parent'
  | 'a_class_overlap'
  // people sheet
  | 'unreadable_file'
  | 'no_sheet'
  | 'missing_column'
  | 'too_many_rows'
  | 'missing_value'
  | 'unknown_role'
  | 'invalid_phone'
  | 'value_too_long'
  | 'unknown_grid'
  | 'duplicate_person'
  | 'missing_value_or'
  // a row that names a grid worker's account (账号)
  | 'account_not_grid_worker'
  | 'duplicate_account'
  | 'unknown_account'
  | 'account_not_on_grid'
  | 'account_name_mismatch';

// Ring numbering in params: `part` counts the polygons of a MultiPolygon from 1 (always 1 for a Polygon);
// `ring` counts rings from 1, ring 1 being the outer boundary and 2.. the holes. People read these, so 1-based.
export const GRID_PROBLEM_MESSAGES: Record<GridProblemCode, Texts> = {
  invalid_json: { 'zh-CN': '文件不是有效的 JSON：{detail}', en: 'The file is not valid JSON: {detail}' },
  not_feature_collection: {
    'zh-CN': '文件不是 GeoJSON 要素集合（FeatureCollection）。',
    en: 'The file is not a GeoJSON FeatureCollection.',
  },
  no_features: { 'zh-CN': '文件中没有任何要素。', en: 'The file contains no features.' },
  too_many_features: {
    'zh-CN': '要素过多（{count} 个），单次最多导入 {max} 个。',
    en: 'Too many features ({count}); at most {max} can be imported at once.',
  },
  too_many_vertices: {
    'zh-CN': '边界顶点过多（{count} 个以上），单次最多导入 {max} 个顶点，请分批导入或简化边界。',
    en: 'Too many boundary vertices (over {count}); at most {max} per import. Import in parts or simplify the boundaries.',
  },
  not_feature: { 'zh-CN': '不是 GeoJSON 要素（Feature）。', en: 'is not a GeoJSON Feature.' },
  missing_code: { 'zh-CN': '缺少网格编码（code / 编码）。', en: 'has no grid code (code / 编码).' },
  invalid_code: {
    'zh-CN': '网格编码“{value}”格式不正确，只能包含数字和字母，最长 {max} 位。',
    en: 'grid code "{value}" is malformed: use digits and letters only, at most {max} characters.',
  },
  missing_name: { 'zh-CN': '缺少网格名称（name / 名称）。', en: 'has no grid name (name / 名称).' },
  name_too_long: {
    'zh-CN': '网格名称过长（{length} 个字符，最多 {max} 个）。',
    en: 'grid name is too long ({length} characters, at most {max}).',
  },
  missing_parent: {
    'zh-CN': '缺少上级编码（parent / 上级编码）。',
    en: 'has no parent code (parent / 上级编码).',
  },
  invalid_class: {
    'zh-CN': '网格类别“{value}”无效，应为 A、B 或 C。',
    en: 'grid class "{value}" is invalid; use A, B or C.',
  },
  invalid_level: {
    'zh-CN': '网格层级“{value}”无效，应为正整数。',
    en: 'grid level "{value}" is invalid; use a positive whole number.',
  },
  missing_geometry: { 'zh-CN': '缺少边界（geometry）。', en: 'has no boundary (geometry).' },
  not_polygon: {
    'zh-CN': '边界类型为 {type}，应为面（Polygon 或 MultiPolygon）。',
    en: 'boundary is a {type}; it must be a Polygon or MultiPolygon.',
  },
  malformed_coordinates: {
    'zh-CN': '第 {part} 个面的坐标结构不正确（{detail}）。',
    en: 'coordinates of part {part} are malformed ({detail}).',
  },
  coordinate_not_finite: {
    'zh-CN': '第 {part} 个面第 {ring} 个环的第 {position} 个坐标不是有效数字。',
    en: 'position {position} of ring {ring} in part {part} is not a pair of finite numbers.',
  },
  coordinate_out_of_range: {
    'zh-CN': '坐标 {lng},{lat} 超出经纬度范围（经度 -180~180，纬度 -90~90），请确认是经纬度而非投影坐标。',
    en: 'coordinate {lng},{lat} is out of range (longitude -180..180, latitude -90..90); is it projected rather than longitude/latitude?',
  },
  ring_not_closed: {
    'zh-CN': '第 {part} 个面的第 {ring} 个环未闭合（首点 {first}，末点 {last}）。',
    en: 'ring {ring} of part {part} is not closed (first {first}, last {last}).',
  },
  ring_too_short: {
    'zh-CN': '第 {part} 个面的第 {ring} 个环点数不足（{count} 个点，其中 {distinct} 个不同点；至少需要 3 个不同点并闭合）。',
    en: 'ring {ring} of part {part} has too few positions ({count}, {distinct} distinct; needs 3 distinct points and closure).',
  },
  ring_zero_area: {
    'zh-CN': '第 {part} 个面的第 {ring} 个环面积为零（各点共线）。',
    en: 'ring {ring} of part {part} encloses no area (its points are collinear).',
  },
  self_intersection: {
    'zh-CN': '边界自相交，位置 {at}（共 {count} 处）。',
    en: 'ring self-intersects at {at} ({count} place(s) in all).',
  },
  hole_outside_shell: {
    'zh-CN': '第 {part} 个面的内环 {ring} 不在外边界内（位置 {at}）。',
    en: 'hole (ring {ring}) of part {part} lies outside its outer boundary (at {at}).',
  },
  duplicate_code: {
    'zh-CN': '网格编码 {code} 重复（与第 {other} 个要素相同）。',
    en: 'grid code {code} is used twice (also by feature {other}).',
  },
  code_not_extending_parent: {
    'zh-CN': '网格编码 {code} 应以上级编码 {parent} 开头并比它更长。',
    en: 'grid code {code} must start with its parent code {parent} and be longer.',
  },
  unknown_parent: { 'zh-CN': '上级编码 {parent} 不存在。', en: 'parent code {parent} does not exist.' },
  outside_parent: {
    'zh-CN': '超出上级 {parent} 的边界约 {areaM2} 平方米（容差 {toleranceM} 米），位置 {at}。',
    en: 'extends about {areaM2} m² beyond its parent {parent} (tolerance {toleranceM} m), at {at}.',
  },
  a_class_overlap: {
    'zh-CN': '与 A 类网格 {other}（{otherName}）重叠约 {areaM2} 平方米，位置 {at}；A 类网格按行政区域划分，彼此不得重叠（不论上级是否相同，容差 {toleranceM} 米）。',
    en: 'overlaps the A-class grid {other} ({otherName}) by about {areaM2} m², at {at}; A-class grids divide the territory and may not overlap one another, whatever their parents (tolerance {toleranceM} m).',
  },
  unreadable_file: {
    'zh-CN': '无法读取文件，请上传 .xlsx 格式的 Excel 文件。',
    en: 'The file cannot be read; upload an .xlsx Excel file.',
  },
  no_sheet: { 'zh-CN': '文件中没有工作表。', en: 'The workbook has no sheet.' },
  missing_column: {
    'zh-CN': '表头缺少“{column}”列，请使用下载的模板。',
    en: 'The header row lacks the column "{column}"; use the downloaded template.',
  },
  too_many_rows: {
    'zh-CN': '行数过多（{count} 行），单次最多导入 {max} 行。',
    en: 'Too many rows ({count}); at most {max} can be imported at once.',
  },
  missing_value: { 'zh-CN': '“{column}”不能为空。', en: '"{column}" must not be empty.' },
  unknown_role: {
    'zh-CN': '职务“{value}”无效，应为：网格长、网格员或包片干部。',
    en: 'role "{value}" is unknown; use 网格长 (grid leader), 网格员 (grid worker) or 包片干部 (liaison cadre).',
  },
  invalid_phone: {
    'zh-CN': '手机号“{value}”不正确，应为 11 位大陆手机号码。',
    en: 'phone "{value}" is not an 11-digit mainland China mobile number.',
  },
  value_too_long: {
    'zh-CN': '“{column}”过长（{length} 个字符，最多 {max} 个）。',
    en: '"{column}" is too long ({length} characters, at most {max}).',
  },
  unknown_grid: { 'zh-CN': '网格编码 {value} 不存在。', en: 'grid code {value} does not exist.' },
  duplicate_person: {
    'zh-CN': '与第 {other} 行重复（同一网格、同一职务、同一手机号）。',
    en: 'duplicates row {other} (same grid, role and phone).',
  },
  missing_value_or: { 'zh-CN': '“{column}”不能为空（或填写“{other}”）。', en: '"{column}" must not be empty (or fill in "{other}").' },
  account_not_grid_worker: {
    'zh-CN': '账号“{value}”只能填在职务为网格员的行上。',
    en: 'account "{value}" belongs only on a row whose role is 网格员 (grid worker).',
  },
  duplicate_account: {
    'zh-CN': '与第 {other} 行重复（同一网格、同一账号“{value}”）。',
    en: 'duplicates row {other} (same grid and account "{value}").',
  },
  unknown_account: {
    'zh-CN': '账号“{value}”不存在或已停用。',
    en: 'account "{value}" does not exist or is deactivated.',
  },
  account_not_on_grid: {
    'zh-CN': '账号“{value}”不负责网格 {grid}，请先在用户管理中为其分配该网格。',
    en: 'account "{value}" does not hold grid {grid}; give it the grid in user management first.',
  },
  account_name_mismatch: {
    'zh-CN': '姓名“{name}”与账号“{value}”的姓名“{accountName}”不一致；账号的姓名请在用户管理中修改。',
    en: 'name "{name}" differs from the name "{accountName}" of account "{value}"; rename the account in user management.',
  },
};

/** Fill a template's {name} placeholders; unknown placeholders stay visible so a missing param is noticed. */
export function fillTemplate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole,
  );
}

// ---- point-of-interest import problems --------------------------------------------------------------------------

/** Problems a point-of-interest import names, per row (spreadsheet) or feature (GeoJSON). */
export const POI_PROBLEM_MESSAGES = {
  unreadable_file: { 'zh-CN': '文件无法读取：请上传 .xlsx 或 GeoJSON 文件。', en: 'The file cannot be read: upload an .xlsx or GeoJSON file.' },
  not_feature_collection: { 'zh-CN': 'GeoJSON 须为 FeatureCollection。', en: 'The GeoJSON must be a FeatureCollection.' },
  missing_column: { 'zh-CN': '缺少必填列“{column}”。', en: 'The required column “{column}” is missing.' },
  too_many: { 'zh-CN': '一次最多导入 {max} 条，文件中有 {count} 条。', en: 'At most {max} rows per import; the file has {count}.' },
  no_rows: { 'zh-CN': '文件中没有数据。', en: 'The file holds no data.' },
  geometry_not_point: { 'zh-CN': '几何类型须为点（Point）。', en: 'The geometry must be a Point.' },
  type_unknown: { 'zh-CN': '类型“{value}”无法识别（可填：企业/重点单位、污染源、敏感点/学校/医院、监测站、摄像头）。', en: 'Unknown type “{value}” (use enterprise, pollution source, sensitive point, monitoring station or camera).' },
  name_missing: { 'zh-CN': '名称必填。', en: 'The name is required.' },
  value_too_long: { 'zh-CN': '“{column}”过长（最多 {max} 字）。', en: '“{column}” is too long (at most {max} characters).' },
  lng_invalid: { 'zh-CN': '经度“{value}”无效（须为 -180 到 180 之间的数字）。', en: 'Longitude “{value}” is not valid (a number from -180 to 180).' },
  lat_invalid: { 'zh-CN': '纬度“{value}”无效（须为 -90 到 90 之间的数字）。', en: 'Latitude “{value}” is not valid (a number from -90 to 90).' },
  risk_invalid: { 'zh-CN': '风险等级“{value}”无效（可填：低、中、高）。', en: 'Risk level “{value}” is not valid (low, medium or high).' },
  stream_url_invalid: { 'zh-CN': '视频地址“{value}”无效（须以 rtsp://、rtmp://、http:// 或 https:// 开头）。', en: 'Stream address “{value}” is not valid (rtsp://, rtmp://, http:// or https://).' },
  code_duplicate: { 'zh-CN': '编码“{value}”与第 {other} 行重复。', en: 'Code “{value}” repeats row {other}.' },
  outside_grids: { 'zh-CN': '位置不在任何网格内，且 5 公里内没有网格（请检查经纬度和坐标系）。', en: 'The position is in no grid and no grid is within 5 km (check the coordinates and their datum).' },
} satisfies Catalog;
export type PoiProblemCode = keyof typeof POI_PROBLEM_MESSAGES;

export function poiProblemMessage(code: PoiProblemCode, params: Record<string, string | number>, lang: Lang): string {
  return POI_PROBLEM_MESSAGES[code][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

// ---- why a case went where it went (src/services/grids/routing.ts) ----------------------------------------------

export const ROUTING_MESSAGES = {
  position: { 'zh-CN': '位置在网格{grid}内，按位置自动划入。', en: 'The position lies inside grid {grid}; it was routed there by position.' },
  outside: {
    'zh-CN': '位置不在任何网格内，案件在待划入队列中等候坐席划入网格；最近的网格是{grid}，相距约 {distanceM} 米。',
    en: 'The position is outside every grid; the case waits in the unrouted queue for an operator. The nearest grid is {grid}, about {distanceM} m away.',
  },
  outside_none: {
    'zh-CN': '位置不在任何网格内，附近也没有网格，等候坐席选择网格。',
    en: 'The position is outside every grid and no grid is near; an operator must choose one.',
  },
  operator: { 'zh-CN': '由坐席划入网格{grid}。', en: 'An operator routed it to grid {grid}.' },
  responsible_industry: {
    'zh-CN': '分类属于“{industry}”行业，由专业网格{grid}负责。',
    en: 'Its category belongs to the {industry} industry, so the industry grid {grid} is responsible.',
  },
  responsible_key_unit: {
    'zh-CN': '案件涉及重点单位“{unit}”，由该单位的网格{grid}负责。',
    en: 'It concerns the key unit {unit}, so that unit’s grid {grid} is responsible.',
  },
  rule_exact: { 'zh-CN': '规则 #{rule}：{area}的“{category}”案件交{department}办理。', en: 'Rule #{rule}: "{category}" cases in {area} go to {department}.' },
  rule_parent: {
    'zh-CN': '规则 #{rule}：{area}的“{category}”类（上级分类）案件交{department}办理。',
    en: 'Rule #{rule}: cases under the parent category "{category}" in {area} go to {department}.',
  },
  rule_any: { 'zh-CN': '规则 #{rule}：{area}的所有案件交{department}办理。', en: 'Rule #{rule}: every case in {area} goes to {department}.' },
  area_all: { 'zh-CN': '全部区域', en: 'all areas' },
  category_default: {
    'zh-CN': '没有适用的分派规则，按分类“{category}”的默认部门交{department}办理。',
    en: 'No routing rule applies; the category "{category}" defaults to {department}.',
  },
  none: {
    'zh-CN': '没有适用的分派规则，分类也没有默认部门，由坐席选择处置部门。',
    en: 'No routing rule applies and the category has no default department; the operator chooses one.',
  },
} satisfies Catalog;

export const INDUSTRY_NAMES: Catalog = {
  environment: { 'zh-CN': '环境保护', en: 'environmental protection' },
  work_safety: { 'zh-CN': '安全生产', en: 'work safety' },
  education: { 'zh-CN': '教育', en: 'education' },
  food_safety: { 'zh-CN': '食品安全', en: 'food safety' },
};
