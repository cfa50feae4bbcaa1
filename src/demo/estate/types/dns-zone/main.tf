# Demo "dns-zone" in the classic header style: besides var.config, the module talks to the
# parameter store itself — it reads its own config and publishes its own runtime over the SSM
# JSON 1.1 protocol, with curl and no provider. With the embedded store Karma serves that
# protocol during the run and sets AWS_ENDPOINT_URL_SSM; Karma notices the runtime version the
# module wrote and does not overwrite it.
locals {
  config_name  = "${var.iac_prefix}/${var.component_name}/${var.nickname}/config"
  runtime_name = "${var.iac_prefix}/${var.component_name}/${var.nickname}/runtime"
  zone_id      = "Z${upper(substr(sha1("${var.environment}/${var.nickname}/${var.config.domain}"), 0, 12))}"
  runtime      = { zone_id = local.zone_id, domain = var.config.domain }
  doc = {
    dir         = local.dir
    domain      = var.config.domain
    ttl         = try(var.config.ttl, 300)
    config_name = local.config_name
    put_runtime = jsonencode({
      Name        = local.runtime_name
      Type        = "String"
      Overwrite   = true
      Value       = jsonencode(local.runtime)
      Description = jsonencode({ by = "module dns-zone (curl)" })
    })
  }
}

resource "terraform_data" "zone" {
  triggers_replace = local.doc
  input            = local.doc

  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    environment = {
      DIR         = self.input.dir
      DOMAIN      = self.input.domain
      TTL         = self.input.ttl
      CONFIG_NAME = self.input.config_name
      PUT_RUNTIME = self.input.put_runtime
    }
    command = <<-EOT
      set -eu
      mkdir -p "$DIR"
      printf '$ORIGIN %s.\n$TTL %s\n@ IN SOA ns.%s. admin.%s. 1 3600 600 86400 %s\n' "$DOMAIN" "$TTL" "$DOMAIN" "$DOMAIN" "$TTL" > "$DIR/zone.db"
      if [ -z "$${AWS_ENDPOINT_URL_SSM:-}" ]; then
        echo "dns-zone: AWS_ENDPOINT_URL_SSM is not set; not reading config from, or publishing runtime to, the store" >&2
        exit 0
      fi
      ssm() {
        curl -sS --fail -X POST "$AWS_ENDPOINT_URL_SSM/" \
          -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Target: AmazonSSM.$1" --data-binary "$2"
      }
      ssm GetParameter "{\"Name\": \"$CONFIG_NAME\"}" > "$DIR/config-from-store.json"
      ssm PutParameter "$PUT_RUNTIME" > "$DIR/runtime-put.json"
      echo "dns-zone: read $CONFIG_NAME from the store and published the runtime"
    EOT
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -rf \"$DIR\""
    environment = { DIR = self.input.dir }
  }
}

output "zone_id" {
  value = local.zone_id
}

output "domain" {
  value = terraform_data.zone.output.domain
}
