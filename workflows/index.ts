export { mlPipeline } from './mlPipeline';
