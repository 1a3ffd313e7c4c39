export { mlPipeline } from './mlPipeline';
export { mlInference } from './mlInference';
