import { handleApiRequest } from '@/server/trpc/http';

function handler(request: Request) {
  return handleApiRequest(request);
}

// Every method reaches the edge, so a wrong one gets a 405 that says what the API answers, with a JSON body.
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
