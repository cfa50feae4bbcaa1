# Demo "database": an SQLite database file (an empty file is a valid SQLite database) and a
# SENSITIVE password output, so the runtime becomes a SecureString and is redacted everywhere.
locals {
  path = "${local.dir}/${var.nickname}.db"
  doc = {
    dir            = local.dir
    path           = local.path
    engine         = var.config.engine
    storage_gb     = var.config.storage_gb
    retention_days = try(var.config.backup_retention_days, 0)
  }
}

resource "terraform_data" "database" {
  triggers_replace = local.doc
  input            = local.doc

  provisioner "local-exec" {
    command     = "mkdir -p \"$DIR\" && touch \"$DB\" && printf '%s\\n' \"$DOC\" > \"$DIR/database.json\""
    environment = { DIR = self.input.dir, DB = self.input.path, DOC = jsonencode(self.input) }
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -rf \"$DIR\""
    environment = { DIR = self.input.dir }
  }
}

output "endpoint" {
  value = "sqlite://${terraform_data.database.output.path}"
}

output "path" {
  value = terraform_data.database.output.path
}

output "password" {
  # Derived from the resource's id: stable for the life of the database, new when it is replaced.
  value     = substr(sha256("${terraform_data.database.id}/password"), 0, 24)
  sensitive = true
}
