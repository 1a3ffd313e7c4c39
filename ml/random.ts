// The seeded PRNG lives in contract/ so that workflow code (search-space sampling) draws the same stream.
export { createRng, shuffle, type Rng } from '../contract/random';
