import { describe, expect, it } from 'vitest'
import { diagnoseTensorflowGpuLog, gpuFallbackWarning } from './tensorflowGpuLog'

// Shapes of real libtensorflow 2.9 logs, as quoted in tensorflow/tfjs#8269 and #3727.
const cuda12Log = `2024-05-06 00:05:33.711121: I tensorflow/stream_executor/cuda/cuda_gpu_executor.cc:975] successful NUMA node read
2024-05-06 00:05:33.767399: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory
2024-05-06 00:05:33.767399: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory
2024-05-06 00:05:33.767416: W tensorflow/core/common_runtime/gpu/gpu_device.cc:1850] Cannot dlopen some GPU libraries. Skipping registering GPU devices...`
const gpuLog = `2022-01-07 17:59:30.835479: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1525] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 6611 MB memory:  -> device: 0, name: NVIDIA GeForce GTX 1080, pci bus id: 0000:07:00.0, compute capability: 6.1`

describe('diagnoseTensorflowGpuLog', () => {
  it('detects the CUDA 12 silent CPU fallback and names the missing libraries', () => {
    const d = diagnoseTensorflowGpuLog(cuda12Log)
    expect(d.gpuDevice).toBeNull()
    expect(d.skippedGpu).toBe(true)
    expect(d.missingLibraries).toEqual(['libcudart.so.11.0', 'libcudnn.so.8'])
    expect(gpuFallbackWarning(d)).toMatch(/CUDA 11\.2.*cuDNN 8.*libcudart\.so\.11\.0.*#8269/s)
  })

  it('reports the GPU when a device was created, with no warning', () => {
    const d = diagnoseTensorflowGpuLog(gpuLog)
    expect(d.gpuDevice).toBe('GPU:0 (NVIDIA GeForce GTX 1080)')
    expect(gpuFallbackWarning(d)).toBeNull()
  })

  it('warns generically when no GPU device appears and nothing was missing', () => {
    expect(gpuFallbackWarning(diagnoseTensorflowGpuLog(''))).toMatch(/no GPU device/)
  })
})
