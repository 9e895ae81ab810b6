// Streams a completion and a chat completion with an official Node.js client and prints
// one JSON object: the client's version and, for each call, the status, the content type
// and the body bytes (base64) as the client read them, for
// tests/contract/test_streaming_clients.py to check byte for byte.
//
//   node stream.mjs CLIENT URL COMPLETION_ID CHAT_ID    (CLIENT: es8 for 8.19.x, es9 for 9.x)
import { readFileSync } from 'node:fs'

const [alias, url, completionId, chatId] = process.argv.slice(2)
const { Client } = await import(alias)
const { version } = JSON.parse(
  readFileSync(new URL(`./node_modules/${alias}/package.json`, import.meta.url), 'utf8'))
const client = new Client({ node: url, maxRetries: 0 })
const api = client.inference
const openai = { service: 'openai', service_settings: { api_key: 'sk-node', model_id: 'gpt-4o' } }

async function streamed (call) {
  const result = await call({ asStream: true, meta: true })
  const parts = []
  for await (const part of result.body) parts.push(Buffer.from(part))
  return {
    status: result.statusCode,
    contentType: result.headers['content-type'],
    transferEncoding: result.headers['transfer-encoding'] ?? null,
    body: Buffer.concat(parts).toString('base64')
  }
}

await api.put({ task_type: 'completion', inference_id: completionId, inference_config: openai })
await api.put({ task_type: 'chat_completion', inference_id: chatId, inference_config: openai })
const steps = {
  streamCompletion: await streamed((o) => api.streamCompletion(
    { inference_id: completionId, input: 'Say hello' }, o)),
  chatCompletionUnified: await streamed((o) => api.chatCompletionUnified(
    { inference_id: chatId, chat_completion_request: { messages: [{ role: 'user', content: 'Say hello' }] } }, o))
}
await client.close()
console.log(JSON.stringify({ version, steps }))
