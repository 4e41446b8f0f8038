/**
 * The DeXposure library API, importable from scripts:
 *   import { ... } from 'dexposure-notebooks';
 * The notebook's `dx` object exposes the same functions.
 */
export * from './core/snapshot/types';
export * from './core/display/protocol';
