// Runs the third-party service methods of an official Node.js client (putOpenai,
// textEmbedding, completion) against the fake, and a provider failure set through the
// fake's control API; prints one JSON object for tests/contract/test_service_clients.py.
//
//   node services.mjs CLIENT URL    (CLIENT: es8 for 8.19.x, es9 for 9.x)
const [alias, url] = process.argv.slice(2)
const { Client, errors } = await import(alias)
const client = new Client({ node: url, maxRetries: 0 })

async function outcome (call) {
  try {
    const result = await call({ meta: true })
    return { ok: true, status: result.statusCode, body: result.body }
  } catch (error) {
    if (!(error instanceof errors.ResponseError)) throw error
    return { ok: false, status: error.meta.statusCode, message: error.message, body: error.meta.body }
  }
}

const api = client.inference
const settings = { api_key: 'sk-contract', model_id: 'text-embedding-3-small' }
const steps = {
  'put-openai-embedding': await outcome((o) => api.putOpenai({
    task_type: 'text_embedding', openai_inference_id: 'oa-embed', service: 'openai', service_settings: settings
  }, o)),
  'put-openai-completion': await outcome((o) => api.putOpenai({
    task_type: 'completion', openai_inference_id: 'oa-chat', service: 'openai', service_settings: { ...settings, model_id: 'gpt-4o' }
  }, o)),
  'text-embedding': await outcome((o) => api.textEmbedding({ inference_id: 'oa-embed', input: ['one', 'two'] }, o)),
  completion: await outcome((o) => api.completion({ inference_id: 'oa-chat', input: 'What is Elastic?' }, o)),
  'put-cohere-rerank': await outcome((o) => api.putCohere({
    task_type: 'rerank',
    cohere_inference_id: 'co-rerank',
    service: 'cohere',
    service_settings: { api_key: 'sk-contract', model_id: 'rerank-english-v3.0' },
    task_settings: { top_n: 2, return_documents: true }
  }, o)),
  rerank: await outcome((o) => api.rerank({ inference_id: 'co-rerank', query: 'blue sky', input: ['sea', 'blue sky', 'sky blue today'] }, o)),
  'put-hugging-face': await outcome((o) => api.putHuggingFace({
    task_type: 'text_embedding',
    huggingface_inference_id: 'hf-embed',
    service: 'hugging_face',
    service_settings: { api_key: 'sk-contract', url: 'https://hf.example/embed' }
  }, o))
}
await fetch(url + '/_fake_es/providers/failures', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ target: 'oa-chat', status: 401, message: 'Incorrect API key provided' })
})
steps['completion-401'] = await outcome((o) => api.completion({ inference_id: 'oa-chat', input: 'x' }, o))
console.log(JSON.stringify({ steps }))
