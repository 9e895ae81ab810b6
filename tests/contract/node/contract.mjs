// Runs the create-inference contract with the official Node.js client and prints
// one JSON line per step, for tests/contract/test_other_clients.py to check.
import { Client, errors } from 'es8'

const [url, modelId] = process.argv.slice(2)
const client = new Client({ node: url, maxRetries: 0 })
const config = {
  service: 'elser',
  service_settings: { num_allocations: 1, num_threads: 1 },
  task_settings: {}
}

async function step (name, call) {
  try {
    const result = await call()
    console.log(JSON.stringify({ step: name, ok: true, body: result }))
  } catch (error) {
    if (!(error instanceof errors.ResponseError)) throw error
    console.log(JSON.stringify({
      step: name,
      ok: false,
      status: error.meta.statusCode,
      product: error.meta.headers['x-elastic-product'] ?? null,
      message: error.message,
      body: error.meta.body
    }))
  }
}

await step('info', () => client.info())
await step('put', () => client.inference.put({
  task_type: 'sparse_embedding', inference_id: modelId, inference_config: config
}))
await step('put-again', () => client.inference.put({
  task_type: 'sparse_embedding', inference_id: modelId, inference_config: config
}))
await step('put-bad-task-type', () => client.inference.put({
  task_type: 'bad', inference_id: modelId, inference_config: config
}))
await step('put-unknown-setting', () => client.inference.put({
  task_type: 'sparse_embedding', inference_id: `${modelId}-2`, inference_config: { ...config, foo: 'bar' }
}))
await client.close()
