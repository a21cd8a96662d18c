// tfjs-backend-wasm's Identity copies the tensor's bytes. The engine clones every tensor a kernel keeps for
// its gradient (engine.ts saveTensorsForBackwardMode), so each training step copied every saved activation
// once more: 1,854 copies and 2.2 s of a 32 s ResNet-34 U-Net step at 224 px, batch 16 (bench:train's
// profile), and the saved activations twice in memory until the forward's scope ends. tfjs's cpu backend
// shares the buffer by reference count, as the wasm backend's own Reshape does; so does this one. No kernel
// writes into its inputs, so a shared buffer is never changed under a clone. Strings keep the copy.
import {
  Identity,
  tensor,
  type DataId,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs'

interface RefCountedBackend {
  incRef(dataId: DataId): void
  readSync(dataId: DataId): unknown
}

function sharedIdentity({
  inputs,
  backend,
}: {
  inputs: { x: TensorInfo }
  backend: RefCountedBackend
}): TensorInfo {
  const { x } = inputs
  if (x.dtype === 'string') return tensor(backend.readSync(x.dataId) as Uint8Array[], x.shape, x.dtype)
  backend.incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

export const sharedIdentityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: sharedIdentity as unknown as KernelFunc,
}
