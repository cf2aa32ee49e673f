import type { OutputFormat, OutputReason } from '../api/app';

/** Renderer strings of software rasterisers: no GPU does the drawing. */
const softwareRenderers = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** Fewer logical cores than this and 1080p encoding plus the compositor will not keep up. */
export const smallCpuCores = 4;

/** True when WebGL is missing or drawn by the CPU (SwiftShader, llvmpipe, Microsoft Basic Render). */
export function isSoftwareGraphics(webglRenderer: string | null): boolean {
  return webglRenderer === null || softwareRenderers.test(webglRenderer);
}

/**
 * The output a first run should start with: 1280×720 on software graphics or a small CPU (the
 * reason is shown to the user in one line), otherwise `current` unchanged. A portrait choice stays.
 */
export function recommendOutput(
  machine: { cpuCores: number; webglRenderer: string | null },
  current: OutputFormat,
): { format: OutputFormat; reason: OutputReason } {
  if (current === '1080x1920') return { format: current, reason: null };
  if (isSoftwareGraphics(machine.webglRenderer)) return { format: '1280x720', reason: 'software-graphics' };
  if (machine.cpuCores <= smallCpuCores) return { format: '1280x720', reason: 'small-cpu' };
  return { format: current, reason: null };
}
