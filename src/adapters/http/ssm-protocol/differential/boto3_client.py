"""A generic SSM client for Karma's differential suite, built on boto3.

Reads one call per line on stdin ({"op": "GetParameter", "params": {...}}), makes it with
boto3's own serialisation, signing and retries, and writes one reply per line on stdout:
{"ok": output, "retries": n} or {"error": {"code", "message"}, "retries": n} for service errors,
{"fault": "..."} for anything else (client-side parameter validation, connection errors).

Environment: SSM_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; SSM_MAX_ATTEMPTS (retry
attempts in botocore's "standard" mode, default 3).
"""
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    client = boto3.client(
        "ssm",
        endpoint_url=os.environ["SSM_ENDPOINT"],
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        config=Config(
            retries={"mode": "standard", "max_attempts": int(os.environ.get("SSM_MAX_ATTEMPTS", "3"))}
        ),
    )
    for line in sys.stdin:
        call = json.loads(line)
        try:
            method = getattr(client, _method(client, call["op"]))
            output = method(**call.get("params", {}))
            retries = output.pop("ResponseMetadata", {}).get("RetryAttempts", 0)
            reply = {"ok": output, "retries": retries}
        except ClientError as error:
            reply = {
                "error": {
                    "code": error.response.get("Error", {}).get("Code", ""),
                    "message": error.response.get("Error", {}).get("Message", ""),
                },
                "retries": error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0),
            }
        except Exception as error:  # noqa: BLE001 - every other failure is reported, not raised
            reply = {"fault": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply, default=str) + "\n")
        sys.stdout.flush()


def _method(client, operation):
    """The client method for an API operation name (GetParameter -> get_parameter)."""
    for method, api in client.meta.method_to_api_mapping.items():
        if api == operation:
            return method
    raise ValueError(f"no such operation: {operation}")


if __name__ == "__main__":
    main()
