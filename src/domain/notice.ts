// Who a notice goes to and what it says, as data: the rules decide it, src/services/notify.ts delivers it.
import type { MessageRef, NoticeCode } from '../shared/messages.js';
import type { NotificationKind, Role } from '../shared/vocabulary.js';

export type Recipients =
  | { kind: 'department'; departmentId: number }
  | { kind: 'area_role'; role: Role; areaPath: string }
  | { kind: 'user'; userId: number };

export interface NoticeSpec {
  to: Recipients[];
  kind: NotificationKind;
  /** the case it is about, or null for a notice about no case (a hazard's) */
  row: { id: number; number: string } | null;
  /** the hazard it is about, carried in the external channels' payload */
  hazardId?: number;
  /** rendered in the reader's language when read, never stored as text */
  title: MessageRef<NoticeCode>;
  /** free text the actor wrote (a note, kept as written), or a message rendered when read */
  body?: string | MessageRef<NoticeCode>;
  /** a notice with a key is delivered at most once per user (threshold notices) */
  dedupeKey?: string;
}
