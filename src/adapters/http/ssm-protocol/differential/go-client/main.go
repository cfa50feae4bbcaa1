// A generic SSM client for Karma's differential suite, built on aws-sdk-go-v2: it reads one
// call per line on stdin ({"op": "GetParameter", "params": {...}}), makes it with the SDK's own
// serialisation, signing and retries, and writes one reply per line on stdout:
// {"ok": output} or {"error": {"code", "message"}} for service errors, {"fault": "..."} for
// anything else (a client-side validation failure, a connection error).
//
// Environment: SSM_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; AWS_REGION (us-east-1).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
)

type call struct {
	Op     string          `json:"op"`
	Params json.RawMessage `json:"params"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type reply struct {
	Ok    any       `json:"ok,omitempty"`
	Error *apiError `json:"error,omitempty"`
	Fault string    `json:"fault,omitempty"`
}

func main() {
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = "us-east-1"
	}
	client := ssm.New(ssm.Options{
		Region:       region,
		BaseEndpoint: aws.String(os.Getenv("SSM_ENDPOINT")),
		Credentials: credentials.NewStaticCredentialsProvider(
			os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), ""),
	})
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	out := json.NewEncoder(os.Stdout)
	for scanner.Scan() {
		if err := out.Encode(handle(client, scanner.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func handle(client *ssm.Client, line []byte) reply {
	var c call
	if err := json.Unmarshal(line, &c); err != nil {
		return reply{Fault: "bad call: " + err.Error()}
	}
	method := reflect.ValueOf(client).MethodByName(c.Op)
	if !method.IsValid() || method.Type().NumIn() < 2 {
		return reply{Fault: "no such operation: " + c.Op}
	}
	input := reflect.New(method.Type().In(1).Elem())
	if len(c.Params) > 0 {
		if err := json.Unmarshal(c.Params, input.Interface()); err != nil {
			return reply{Fault: "params: " + err.Error()}
		}
	}
	results := method.Call([]reflect.Value{reflect.ValueOf(context.Background()), input})
	if err, _ := results[1].Interface().(error); err != nil {
		var service smithy.APIError
		if errors.As(err, &service) {
			return reply{Error: &apiError{Code: service.ErrorCode(), Message: service.ErrorMessage()}}
		}
		return reply{Fault: err.Error()}
	}
	// Through JSON into a map, to drop the SDK's ResultMetadata.
	raw, err := json.Marshal(results[0].Interface())
	if err != nil {
		return reply{Fault: "output: " + err.Error()}
	}
	var output map[string]any
	if err := json.Unmarshal(raw, &output); err != nil {
		return reply{Fault: "output: " + err.Error()}
	}
	delete(output, "ResultMetadata")
	return reply{Ok: output}
}
