import irisInference from '../../examples/iris-inference.json';
import { type OpenApiExamples } from '../common/openApiExamples';

/** The Swagger UI's body for POST /inference-runs: the example file, valid once the iris example has deployed. */
export const INFERENCE_EXAMPLES: OpenApiExamples = {
  'iris-inference': { summary: 'score examples/data/iris-batch.csv with the production iris model (examples/iris-inference.json)', value: irisInference },
};
