// The logged-in session (user + CSRF token), kept in the react-query cache under ['session'].
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Me, Session } from '../../src/shared/api';
import { api, ApiError, setCsrfToken } from './api';
import { sessionKeys } from './queryKeys';

export const SESSION_KEY = sessionKeys.all;

async function loadSession(): Promise<Session | null> {
  try {
    const session = await api.session();
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useSession(): { session: Session | null; user: Me | null; isLoading: boolean; error: unknown } {
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: Infinity, retry: 1, meta: { silent: true } });
  const session = query.data ?? null;
  return { session, user: session?.user ?? null, isLoading: query.isLoading, error: query.error };
}

export function useMe(): Me {
  const { user } = useSession();
  if (!user) throw new Error('useMe() outside an authenticated page');
  return user;
}

/** Stores a fresh session (after login) and drops everything cached for the previous user. */
export function storeSession(client: QueryClient, session: Session | null): void {
  setCsrfToken(session?.csrfToken ?? null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
  client.setQueryData(SESSION_KEY, session);
}

export function useSessionActions() {
  const client = useQueryClient();
  return {
    async login(username: string, password: string): Promise<Session> {
      const session = await api.login(username, password);
      storeSession(client, session);
      return session;
    },
    async logout(): Promise<void> {
      try {
        await api.logout();
      } finally {
        storeSession(client, null);
      }
    },
    async refresh(): Promise<void> {
      await client.invalidateQueries({ queryKey: SESSION_KEY });
    },
  };
}
