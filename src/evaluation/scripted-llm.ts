/**
 * A scripted model for the verification eval: a real HTTP server on 127.0.0.1 speaking the
 * OpenAI chat-completions wire format (JSON, or SSE when the request streams), whose replies a
 * function writes from the request. The answering code talks to it exactly as to a real model.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  messages: { role: string; content: string }[];
  stream?: boolean;
}

export interface ScriptedModel {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  close(): Promise<void>;
}

export async function startScriptedModel(reply: (request: ChatRequest) => string, pieceChars = 6): Promise<ScriptedModel> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', code: null } }));
        return;
      }
      let parsed: ChatRequest;
      try {
        parsed = JSON.parse(body) as ChatRequest;
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad json', type: 'invalid_request_error', code: null } }));
        return;
      }
      const content = reply(parsed);
      const id = `chatcmpl-${Date.now()}`;
      if (!parsed.stream) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: 'scripted',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: Record<string, string>, finish: string | null) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: 'scripted', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      const characters = [...content];
      for (let at = 0; at < characters.length; at += pieceChars) response.write(chunk({ content: characters.slice(at, at + pieceChars).join('') }, null));
      response.write(chunk({}, 'stop'));
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
