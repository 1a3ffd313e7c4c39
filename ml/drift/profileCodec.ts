import { PROFILE_FORMAT, type TrainingProfile } from './profile';
import { ProfileFormatError } from './errors';

/** A stored profile's JSON, checked to be one we wrote. */
export function decodeProfile(bytes: Uint8Array): TrainingProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ProfileFormatError(`the training profile is not JSON: ${String(error)}`);
  }
  const profile = parsed as Partial<TrainingProfile> | null;
  if (profile?.format !== PROFILE_FORMAT || !Array.isArray(profile.features) || profile.target === undefined) {
    throw new ProfileFormatError(`not a training profile of format ${PROFILE_FORMAT}`);
  }
  return profile as TrainingProfile;
}
