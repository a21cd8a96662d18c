import { useEffect, useState } from 'react'
import type { MethodInfo } from '../../../shared/contract/methods'
import { client } from '../api/client'

// The catalogue does not change while the app runs: one methods.list call serves every component.
let pending: Promise<MethodInfo[]> | null = null

/** The method catalogue (methods.list), or [] until it has arrived. */
export function useMethods(): MethodInfo[] {
  const [methods, setMethods] = useState<MethodInfo[]>([])
  useEffect(() => {
    let live = true
    pending ??= client.call('methods.list', {}).catch((e: unknown) => {
      pending = null
      throw e
    })
    pending.then(
      (m) => live && setMethods(m),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [])
  return methods
}

/** A method's name for people ('Supervised U-Net'), or its id while the catalogue loads. */
export function methodName(methods: readonly MethodInfo[], id: string, task?: string): string {
  return methods.find((m) => m.id === id && (!task || m.task === task))?.name ?? id
}
