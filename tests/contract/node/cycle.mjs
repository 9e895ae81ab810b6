// Runs one create/get/infer/delete cycle with an official Node.js client and prints
// one JSON object (the client's version and what every step answered), for
// tests/contract/test_release_clients.py to check.
//
//   node cycle.mjs CLIENT URL ID    (CLIENT: es8 for 8.19.x, es9 for 9.x)
import { readFileSync } from 'node:fs'

const [alias, url, sparseId] = process.argv.slice(2)
const { Client, errors } = await import(alias)
const { version } = JSON.parse(
  readFileSync(new URL(`./node_modules/${alias}/package.json`, import.meta.url), 'utf8'))
const client = new Client({ node: url, maxRetries: 0 })
const textId = `${sparseId}-e5`
const text = 'the quick brown fox'
const sparseConfig = {
  service: 'elser',
  service_settings: { num_allocations: 1, num_threads: 1 },
  task_settings: {}
}
const textConfig = {
  service: 'elasticsearch',
  service_settings: { model_id: '.multilingual-e5-small', num_allocations: 1, num_threads: 1 }
}

async function outcome (call) {
  try {
    const result = await call({ meta: true })
    return {
      ok: true,
      status: result.statusCode,
      product: result.headers['x-elastic-product'] ?? null,
      warnings: result.warnings ?? [],
      body: result.body
    }
  } catch (error) {
    if (!(error instanceof errors.ResponseError)) throw error
    return {
      ok: false,
      class: error.name,
      status: error.meta.statusCode,
      product: error.meta.headers['x-elastic-product'] ?? null,
      message: error.message,
      body: error.meta.body
    }
  }
}

const api = client.inference
const sparse = { task_type: 'sparse_embedding', inference_id: sparseId }
const steps = {
  info: await outcome((o) => client.info({}, o)),
  put: await outcome((o) => api.put({ ...sparse, inference_config: sparseConfig }, o)),
  'put-text': await outcome((o) => api.put(
    { task_type: 'text_embedding', inference_id: textId, inference_config: textConfig }, o)),
  get: await outcome((o) => api.get(sparse, o)),
  'get-all': await outcome((o) => api.get({}, o)),
  infer: await outcome((o) => api.inference({ ...sparse, input: text }, o)),
  'infer-text': await outcome((o) => api.inference({ inference_id: textId, input: [text] }, o)),
  delete: await outcome((o) => api.delete(sparse, o)),
  'delete-text': await outcome((o) => api.delete({ inference_id: textId }, o)),
  'get-deleted': await outcome((o) => api.get({ inference_id: sparseId }, o))
}
await client.close()
console.log(JSON.stringify({ version, steps }))
