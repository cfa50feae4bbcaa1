/**
 * Where AWS's own error text is well known, the wire carries it instead of the store's (more
 * detailed) message, so scripts matching the AWS CLI's output behave the same against Karma.
 * AWS sends no message at all for ParameterNotFound from GetParameter and DeleteParameter (the
 * CLI prints "An error occurred (ParameterNotFound) when calling the GetParameter operation: ").
 */
const AWS_MESSAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ParameterNotFound: { GetParameter: "", DeleteParameter: "" },
  ParameterAlreadyExists: {
    PutParameter:
      "The parameter already exists. To overwrite this request value, set the overwrite option in the request to true.",
  },
};

/** AWS's message for this error from this operation, or the store's message when AWS's is not known. */
export function awsMessage(errorName: string, operation: string, storeMessage: string): string {
  return AWS_MESSAGES[errorName]?.[operation] ?? storeMessage;
}
