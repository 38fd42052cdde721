// A number that opens the case list it counts: /cases with the filter the server gave for it.
import { Link } from 'react-router-dom';
import type { Count } from '../../../../src/shared/stats-api';
import { casesHref } from './commandApi';

interface Props {
  count: Count | { value: number; filter: Record<string, string> | null };
  testId?: string;
  className?: string;
  children?: React.ReactNode;
}

export function CountLink({ count, testId, className, children }: Props) {
  const href = casesHref(count.filter);
  const body = children ?? count.value.toLocaleString();
  if (!href) return <span className={className} data-testid={testId} data-value={count.value}>{body}</span>;
  return (
    <Link to={href} className={className ? `${className} gw-count-link` : 'gw-count-link'} data-testid={testId} data-value={count.value} data-href={href}>
      {body}
    </Link>
  );
}

/** A rate as a percentage with one decimal; '—' when nothing to measure. */
export function percent(v: number | null | undefined): string {
  return v == null ? '—' : `${(v * 100).toFixed(1)}%`;
}
