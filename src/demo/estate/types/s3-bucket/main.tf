# Demo "s3-bucket": a directory stands in for the bucket.
locals {
  path = "${local.dir}/bucket"
  doc = {
    dir         = local.dir
    path        = local.path
    bucket_name = var.config.bucket_name
    versioning  = try(var.config.versioning, false)
  }
}

resource "terraform_data" "bucket" {
  triggers_replace = local.doc
  input            = local.doc

  provisioner "local-exec" {
    command     = "mkdir -p \"$BUCKET\" && printf '%s\\n' \"$DOC\" > \"$DIR/bucket.json\""
    environment = { DIR = self.input.dir, BUCKET = self.input.path, DOC = jsonencode(self.input) }
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -rf \"$DIR\""
    environment = { DIR = self.input.dir }
  }
}

output "bucket_arn" {
  value = "arn:aws:s3:::${terraform_data.bucket.output.bucket_name}"
}

output "path" {
  value = terraform_data.bucket.output.path
}
