# Demo "service": reserves a port (config.port, else one derived deterministically from the
# component's name) and writes the service's manifest.
locals {
  port = try(var.config.port, 20000 + parseint(substr(sha1("${var.environment}/${var.nickname}"), 0, 4), 16) % 10000)
  doc = {
    dir        = local.dir
    port       = local.port
    url        = "http://127.0.0.1:${local.port}"
    network_id = try(var.config.network_id, null)
    replicas   = try(var.config.replicas, 1)
    queue      = try(var.config.queue, null)
  }
}

resource "terraform_data" "service" {
  triggers_replace = local.doc
  input            = local.doc

  provisioner "local-exec" {
    command     = "mkdir -p \"$DIR\" && printf '%s\\n' \"$DOC\" > \"$DIR/service.json\""
    environment = { DIR = self.input.dir, DOC = jsonencode(self.input) }
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -rf \"$DIR\""
    environment = { DIR = self.input.dir }
  }
}

output "url" {
  value = terraform_data.service.output.url
}

output "port" {
  value = terraform_data.service.output.port
}
