/**
 * How the program picture is drawn on this computer:
 * - `gpu`: hardware WebGL; one three.js renderer draws the whole frame.
 * - `software`: WebGL exists but on a software rasteriser (SwiftShader, llvmpipe, a blocked driver):
 *   the frame is composited in a 2D canvas and three.js draws only the product, in a small box.
 * - `none`: no WebGL at all: 2D canvas, the product shown as its photo.
 */
export type Tier = 'gpu' | 'software' | 'none';

export const tiers: readonly Tier[] = ['gpu', 'software', 'none'];

export interface TierInfo {
  tier: Tier;
  /** The WebGL renderer string ('' without WebGL). */
  glRenderer: string;
  /** Chosen by the caller (support, tests), not by the probe. */
  forced: boolean;
}

const softwareRenderer = /swiftshader|llvmpipe|softpipe|software|microsoft basic render|basic render driver/i;

/** Whether a WebGL renderer string names a software rasteriser. */
export function isSoftwareRenderer(name: string): boolean {
  return softwareRenderer.test(name);
}

/** The tier for a probe result; a forced tier wins where this computer can draw it at all. */
export function chooseTier(glRenderer: string | null, forced: string | null): TierInfo {
  const hasGl = glRenderer !== null;
  const name = glRenderer ?? '';
  const probed: Tier = !hasGl ? 'none' : isSoftwareRenderer(name) ? 'software' : 'gpu';
  const wanted = tiers.find((t) => t === forced);
  if (wanted === undefined) return { tier: probed, glRenderer: name, forced: false };
  // WebGL cannot be forced into existence.
  return { tier: hasGl ? wanted : 'none', glRenderer: name, forced: true };
}

/** Asks a throwaway WebGL context what draws it, then frees it. */
export function probeGlRenderer(): string | null {
  const canvas = document.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl === null) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(info === null ? gl.getParameter(gl.RENDERER) : gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

/** Probes this computer and picks the tier (`forced` from the page's `tier=` parameter, if any). */
export function detectTier(forced: string | null): TierInfo {
  return chooseTier(probeGlRenderer(), forced);
}
