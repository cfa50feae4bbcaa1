/**
 * Where AWS's own error text is well known, the wire carries it instead of the store's (more
 * detailed) message, so scripts matching the AWS CLI's output behave the same against Karma.
 * ParameterNotFound carries the store's "Parameter <name> not found." from every operation, the
 * text moto and LocalStack send too (older AWS answers left it empty, which told a user nothing).
 */
const AWS_MESSAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ParameterAlreadyExists: {
    PutParameter:
      "The parameter already exists. To overwrite this request value, set the overwrite option in the request to true.",
  },
};

/** AWS's message for this error from this operation, or the store's message when AWS's is not known. */
export function awsMessage(errorName: string, operation: string, storeMessage: string): string {
  return AWS_MESSAGES[errorName]?.[operation] ?? storeMessage;
}
