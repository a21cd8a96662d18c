import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe, type ApiReply, type ServeApp } from './harness'

function failure(body: ApiReply) {
  if (body.ok) throw new Error('expected a failed call')
  return body.error
}

// Bad payloads over HTTP come back as 400 with a message naming what is wrong, never a stack or a 500.
describe('API over HTTP rejects bad payloads clearly', () => {
  let app: ServeApp
  beforeAll(async () => {
    app = await startServe()
  })
  afterAll(async () => {
    await app?.close()
  })
  const good = () => ({
    dir: `${app.projectsDir}/p`,
    name: 'Biopsies',
    labelMode: 'multi-class',
    classes: [{ name: 'tumour', color: '#aa3344' }],
  })

  it('an empty project name', async () => {
    const { status, body } = await app.post('project.create', { ...good(), name: '   ' })
    expect(status).toBe(400)
    const error = failure(body)
    expect(error.issues).toContainEqual({ path: 'name', message: 'name must not be empty' })
    expect(error.message).toMatch(/project\.create/)
  })

  it('a bad class colour, named by its index', async () => {
    const { status, body } = await app.post('project.create', {
      ...good(),
      classes: [
        { name: 'tumour', color: '#aa3344' },
        { name: 'stroma', color: 'red' },
      ],
    })
    expect(status).toBe(400)
    expect(failure(body).issues).toContainEqual({
      path: 'classes.1.color',
      message: 'color must look like #rrggbb',
    })
  })

  it('an unknown field and a wrong type', async () => {
    const extra = failure((await app.post('project.create', { ...good(), colour: 'x' })).body)
    expect(extra.message).toMatch(/colour/)
    const { status, body } = await app.post('project.create', { ...good(), labelMode: 'several' })
    expect(status).toBe(400)
    expect(failure(body).issues?.map((i) => i.path)).toEqual(['labelMode'])
  })

  it('an unknown method', async () => {
    const { status, body } = await app.post('project.delete', {})
    expect(status).toBe(400)
    expect(failure(body).message).toBe('Unknown API method: "project.delete"')
  })

  it('a body that is not JSON', async () => {
    const { status, body } = await app.post('project.create', '{"name": ', true)
    expect(status).toBe(400)
    expect(failure(body).message).toMatch(/^Body is not valid JSON/)
  })

  it('a GET instead of a POST', async () => {
    const res = await fetch(`${app.url}/api/app.status`, { headers: app.headers })
    expect(res.status).toBe(405)
    expect(((await res.json()) as ApiReply).ok).toBe(false)
  })

  it('a good payload still works afterwards', async () => {
    const { status, body } = await app.post('project.create', good())
    expect(status).toBe(200)
    expect(body.ok).toBe(true)
  })
})
