/** The WebGL renderer string of this browser (SwiftShader, llvmpipe, a GPU's name), or null without WebGL. */
export function webglRendererName(): string | null {
  const canvas = document.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl === null) return null;
  try {
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name: unknown = gl.getParameter(info === null ? gl.RENDERER : info.UNMASKED_RENDERER_WEBGL);
    return typeof name === 'string' ? name.slice(0, 500) : null;
  } finally {
    // One probe context, given back at once: the compositor needs the GPU's context budget.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
