import diabetes from '../../examples/diabetes.json';
import irisAlert from '../../examples/iris-alert.json';
import irisApproval from '../../examples/iris-approval.json';
import irisRetrain from '../../examples/iris-retrain.json';
import iris from '../../examples/iris.json';
import { type OpenApiExamples } from '../common/openApiExamples';

/**
 * The Swagger UI's bodies for POST /runs are the example run files, so "Try it out" starts a valid
 * run: the body it makes up from the schema alone (a random name, a delimiter and a sheet on a CSV)
 * is refused.
 */
export const RUN_EXAMPLES: OpenApiExamples = {
  iris: { summary: 'iris: random forest, deploys (examples/iris.json)', value: iris },
  'iris-approval': { summary: 'iris: the deploy waits for a person to approve (examples/iris-approval.json)', value: irisApproval },
  'iris-alert': { summary: 'iris on one feature: misses the bar, raises a retrain alert (examples/iris-alert.json)', value: irisAlert },
  'iris-retrain': { summary: 'iris retrained: two metric gates and beating production, else a candidate version (examples/iris-retrain.json)', value: irisRetrain },
  diabetes: { summary: 'diabetes: linear regression judged on r2 (examples/diabetes.json)', value: diabetes },
};
