// Errors the domain raises: a stable code plus parameters; the HTTP layer turns them into a status and a
// message in the user's language (src/shared/messages.ts).
export type DomainErrorCode =
  | 'return_too_late'
  | 'extension_pending'
  | 'no_extension_pending'
  | 'suspend_pending'
  | 'no_suspend_pending'
  | 'fix_on_spot_cannot_fail'
  | 'already_evaluated'
  | 'reopen_needs_unsatisfied'
  | 'not_co_department'
  | 'not_your_work_order'
  | 'move_needs_master'
  | 'move_needs_rating'
  | 'master_invalid'
  | 'co_department_invalid'
  | 'unknown_key_unit'
  | 'unknown_grid'
  | 'move_needs_grid'
  | 'case_unrouted'
  | 'extension_not_later'
  | 'move_forbidden_for_role'
  | 'move_not_allowed_in_state'
  | 'move_needs_note'
  | 'move_needs_department'
  | 'move_needs_deadline'
  | 'move_needs_photos'
  | 'deadline_in_past'
  | 'version_conflict'
  | 'not_found'
  | 'forbidden'
  | 'position_outside_grids'
  | 'unknown_category'
  | 'unknown_department'
  | 'unknown_photo'
  | 'photo_type_refused'
  | 'photo_too_large'
  | 'photo_empty'
  | 'too_many_photos'
  | 'invalid_credentials'
  | 'login_throttled'
  | 'unauthenticated'
  | 'csrf_failed'
  | 'password_change_required'
  | 'wrong_current_password'
  | 'password_too_weak'
  | 'username_taken'
  | 'invalid_scope'
  | 'calendar_year_unknown'
  | 'calendar_year_out_of_range'
  | 'calendar_import_invalid'
  | 'calendar_working_hours_invalid'
  | 'calendar_date_invalid'
  // grid administration (src/services/grid-*.ts)
  | 'grid_import_invalid'
  | 'grid_people_invalid'
  | 'grid_geometry_invalid'
  | 'grid_split_invalid'
  | 'grid_retired'
  | 'grid_has_children'
  | 'grid_version_conflict'
  | 'grid_code_exhausted'
  | 'grid_person_phone_invalid'
  | 'coverage_no_boundary'
  | 'unknown_division'
  | 'key_unit_grid_invalid'
  // lists (keyset pagination, src/data/repos/cases.ts)
  | 'list_cursor_invalid'
  // hardening (issue 10)
  | 'photo_too_many_pixels'
  | 'work_timed_out'
  | 'work_busy'
  | 'spreadsheet_too_large'
  | 'coverage_failed';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'DomainError';
  }
}
