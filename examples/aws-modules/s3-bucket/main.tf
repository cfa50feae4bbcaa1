resource "aws_s3_bucket" "this" {
  bucket        = local.config.bucket_name
  force_destroy = try(local.config.force_destroy, false)
  tags          = local.tags
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = try(local.config.versioning, false) ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

locals {
  runtime = {
    bucket_name                 = aws_s3_bucket.this.id
    bucket_arn                  = aws_s3_bucket.this.arn
    bucket_regional_domain_name = aws_s3_bucket.this.bucket_regional_domain_name
  }
}

resource "aws_ssm_parameter" "runtime" {
  name        = local.runtime_name
  type        = "String"
  value       = jsonencode(local.runtime)
  description = jsonencode({ by = "terraform module s3-bucket", config_version = data.aws_ssm_parameter.config.version })
  tags        = local.tags
}

output "bucket_name" {
  value = aws_s3_bucket.this.id
}

output "bucket_arn" {
  value = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  value = aws_s3_bucket.this.bucket_regional_domain_name
}
