# Demo "network": no cloud, no provider — terraform_data and local-exec doing real local work.
# Any config change replaces the resource, so the local-exec runs again; re-plans are no-ops.
locals {
  network_id = "net-${substr(sha1("${var.environment}/${var.nickname}/${var.config.cidr}"), 0, 12)}"
  doc = {
    dir        = local.dir
    network_id = local.network_id
    cidr       = var.config.cidr
    zones      = try(var.config.zones, [])
  }
}

resource "terraform_data" "network" {
  triggers_replace = local.doc
  input            = local.doc

  provisioner "local-exec" {
    command     = "mkdir -p \"$DIR\" && printf '%s\\n' \"$DOC\" > \"$DIR/network.json\""
    environment = { DIR = self.input.dir, DOC = jsonencode(self.input) }
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -rf \"$DIR\""
    environment = { DIR = self.input.dir }
  }
}

output "network_id" {
  value = terraform_data.network.output.network_id
}

output "cidr" {
  value = terraform_data.network.output.cidr
}
