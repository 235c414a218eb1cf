import { Client, cacheExchange, fetchExchange } from 'urql';

/** One client per session: its token goes in the Authorization header as for any API client. */
export function createGraphqlClient(getToken: () => string | null): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    // Every page shows what the server has now; the document cache only serves re-renders.
    requestPolicy: 'cache-and-network',
    // POST: GET requests need CSRF headers at Apollo, and URLs end up in proxy logs.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const token = getToken();
      return { headers: token ? { authorization: `Bearer ${token}` } : {} };
    },
  });
}
