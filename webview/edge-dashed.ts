/**
 * A dashed edge for sigma v3's WebGL renderer (edge attribute `type: 'dashed'`), used
 * for predicted exposures. The body is sigma's clamped edge (EdgeClampedProgram: a
 * quad stopping short of the target node to leave room for the arrow head) with one
 * more varying, the distance from the source along the edge in screen pixels; the
 * fragment shader discards the gaps. Dashes are in screen pixels, so they read the
 * same at every zoom. The arrow head is sigma's own, solid, so direction stays clear.
 */
import type { Attributes } from 'graphology-types';
import { createEdgeArrowHeadProgram, createEdgeCompoundProgram, EdgeProgram, type EdgeProgramType, type ProgramInfo } from 'sigma/rendering';
import type { EdgeDisplayData, NodeDisplayData, RenderParams } from 'sigma/types';
import { floatColor } from 'sigma/utils';

/** Dash and gap lengths, CSS pixels; the SVG export uses the same pattern. */
export const DASH_PX = 6;
export const GAP_PX = 4;

// The arrow head's length relative to the edge thickness; the body stops that far
// before the target node (as sigma's EdgeArrowProgram pairs them).
const LENGTH_TO_THICKNESS = 2.5;

const VERTEX_SHADER = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_normal;
attribute float a_normalCoef;
attribute vec2 a_positionStart;
attribute vec2 a_positionEnd;
attribute float a_positionCoef;
attribute float a_radius;
attribute float a_radiusCoef;

uniform mat3 u_matrix;
uniform float u_zoomRatio;
uniform float u_sizeRatio;
uniform float u_pixelRatio;
uniform float u_correctionRatio;
uniform float u_minEdgeThickness;
uniform float u_lengthToThicknessRatio;
uniform float u_feather;
uniform vec2 u_resolution;

varying vec4 v_color;
varying vec2 v_normal;
varying float v_thickness;
varying float v_feather;
varying float v_along;

const float bias = 255.0 / 254.0;

void main() {
  float minThickness = u_minEdgeThickness;

  float radius = a_radius * a_radiusCoef;
  vec2 normal = a_normal * a_normalCoef;
  vec2 position = a_positionStart * (1.0 - a_positionCoef) + a_positionEnd * a_positionCoef;

  float normalLength = length(normal);
  vec2 unitNormal = normal / normalLength;

  // As sigma's clamped edge: thickness in WebGL units, end pulled back for the head.
  float pixelsThickness = max(normalLength, minThickness * u_sizeRatio);
  float webGLThickness = pixelsThickness * u_correctionRatio / u_sizeRatio;
  float direction = sign(radius);
  float webGLNodeRadius = direction * radius * 2.0 * u_correctionRatio / u_sizeRatio;
  float webGLArrowHeadLength = webGLThickness * u_lengthToThicknessRatio * 2.0;
  vec2 compensationVector = vec2(-direction * unitNormal.y, direction * unitNormal.x) * (webGLNodeRadius + webGLArrowHeadLength);

  gl_Position = vec4((u_matrix * vec3(position + unitNormal * webGLThickness + compensationVector, 1)).xy, 0, 1);

  // Distance from the source along the edge, in CSS pixels: the projection of this
  // vertex onto the edge's on-screen direction (linear, so it interpolates exactly).
  vec2 toPixels = u_resolution * 0.5;
  vec2 start = (u_matrix * vec3(a_positionStart, 1)).xy * toPixels;
  vec2 along = (u_matrix * vec3(a_positionEnd, 1)).xy * toPixels - start;
  float len = length(along);
  v_along = len > 0.0 ? dot(gl_Position.xy * toPixels - start, along / len) : 0.0;

  v_thickness = webGLThickness / u_zoomRatio;
  v_normal = unitNormal;
  v_feather = u_feather * u_correctionRatio / u_zoomRatio / u_pixelRatio * 2.0;

  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif

  v_color.a *= bias;
}
`;

const FRAGMENT_SHADER = /* glsl */ `
#ifdef GL_FRAGMENT_PRECISION_HIGH
precision highp float;
#else
precision mediump float;
#endif

varying vec4 v_color;
varying vec2 v_normal;
varying float v_thickness;
varying float v_feather;
varying float v_along;

uniform float u_dash;
uniform float u_gap;

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);

void main(void) {
  // Picking stays solid: hovering a gap still finds the edge.
  #ifdef PICKING_MODE
  gl_FragColor = v_color;
  #else
  if (mod(v_along, u_dash + u_gap) > u_dash) discard;
  float dist = length(v_normal) * v_thickness;
  float t = smoothstep(v_thickness - v_feather, v_thickness, dist);
  gl_FragColor = mix(v_color, transparent, t);
  #endif
}
`;

const UNIFORMS = ['u_matrix', 'u_zoomRatio', 'u_sizeRatio', 'u_correctionRatio', 'u_pixelRatio', 'u_feather', 'u_minEdgeThickness', 'u_lengthToThicknessRatio', 'u_resolution', 'u_dash', 'u_gap'] as const;
const { FLOAT, UNSIGNED_BYTE, TRIANGLES } = WebGLRenderingContext;

/** The dashed body, clamped before the target node like sigma's arrow body. */
export class EdgeDashedBodyProgram<N extends Attributes = Attributes, E extends Attributes = Attributes, G extends Attributes = Attributes> extends EdgeProgram<(typeof UNIFORMS)[number], N, E, G> {
  getDefinition() {
    return {
      VERTICES: 6,
      VERTEX_SHADER_SOURCE: VERTEX_SHADER,
      FRAGMENT_SHADER_SOURCE: FRAGMENT_SHADER,
      METHOD: TRIANGLES,
      UNIFORMS,
      ATTRIBUTES: [
        { name: 'a_positionStart', size: 2, type: FLOAT },
        { name: 'a_positionEnd', size: 2, type: FLOAT },
        { name: 'a_normal', size: 2, type: FLOAT },
        { name: 'a_color', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_id', size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: 'a_radius', size: 1, type: FLOAT },
      ],
      // positionCoef (0 start, 1 end), normalCoef (side), radiusCoef (pull back at the end)
      CONSTANT_ATTRIBUTES: [
        { name: 'a_positionCoef', size: 1, type: FLOAT },
        { name: 'a_normalCoef', size: 1, type: FLOAT },
        { name: 'a_radiusCoef', size: 1, type: FLOAT },
      ],
      CONSTANT_DATA: [[0, 1, 0], [0, -1, 0], [1, 1, 1], [1, 1, 1], [0, -1, 0], [1, -1, -1]],
    };
  }

  processVisibleItem(edgeIndex: number, startIndex: number, sourceData: NodeDisplayData, targetData: NodeDisplayData, data: EdgeDisplayData): void {
    const thickness = data.size || 1;
    const dx = targetData.x - sourceData.x;
    const dy = targetData.y - sourceData.y;
    const len2 = dx * dx + dy * dy;
    const inv = len2 ? 1 / Math.sqrt(len2) : 0;
    const a = this.array;
    a[startIndex++] = sourceData.x;
    a[startIndex++] = sourceData.y;
    a[startIndex++] = targetData.x;
    a[startIndex++] = targetData.y;
    a[startIndex++] = -dy * inv * thickness;
    a[startIndex++] = dx * inv * thickness;
    a[startIndex++] = floatColor(data.color);
    a[startIndex++] = edgeIndex;
    a[startIndex] = targetData.size || 1;
  }

  setUniforms(params: RenderParams, { gl, uniformLocations: u }: ProgramInfo<(typeof UNIFORMS)[number]>): void {
    gl.uniformMatrix3fv(u.u_matrix, false, params.matrix);
    gl.uniform1f(u.u_zoomRatio, params.zoomRatio);
    gl.uniform1f(u.u_sizeRatio, params.sizeRatio);
    gl.uniform1f(u.u_correctionRatio, params.correctionRatio);
    gl.uniform1f(u.u_pixelRatio, params.pixelRatio);
    gl.uniform1f(u.u_feather, params.antiAliasingFeather);
    gl.uniform1f(u.u_minEdgeThickness, params.minEdgeThickness);
    gl.uniform1f(u.u_lengthToThicknessRatio, LENGTH_TO_THICKNESS);
    gl.uniform2f(u.u_resolution, params.width, params.height);
    gl.uniform1f(u.u_dash, DASH_PX);
    gl.uniform1f(u.u_gap, GAP_PX);
  }
}

/** Dashed body + sigma's solid arrow head: register as `edgeProgramClasses.dashed`. */
export const EdgeDashedArrowProgram: EdgeProgramType = createEdgeCompoundProgram([EdgeDashedBodyProgram as unknown as EdgeProgramType, createEdgeArrowHeadProgram({ lengthToThicknessRatio: LENGTH_TO_THICKNESS })]);

export const DASHED = 'dashed';
