# A static site served by CloudFront from the S3 bucket another component deployed. The bucket is
# named the classic way in config ("src_type" + "src_nickname"); its runtime is read here.
data "aws_ssm_parameter" "bucket_runtime" {
  name = "${var.iac_prefix}/${local.config.src_type}/${local.config.src_nickname}/runtime"
}

locals {
  bucket = jsondecode(data.aws_ssm_parameter.bucket_runtime.value)
}

resource "aws_cloudfront_origin_access_control" "this" {
  name                              = "${var.environment}-${var.nickname}"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "this" {
  enabled             = true
  default_root_object = "index.html"
  aliases             = try(local.config.domain_aliases, [])
  price_class         = try(local.config.price_class, "PriceClass_100")
  tags                = local.tags

  origin {
    origin_id                = "site"
    domain_name              = local.bucket.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this.id
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    # AWS managed policy "CachingOptimized"
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

data "aws_iam_policy_document" "read_from_cloudfront" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${local.bucket.bucket_arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = local.bucket.bucket_name
  policy = data.aws_iam_policy_document.read_from_cloudfront.json
}

locals {
  runtime = {
    distribution_id          = aws_cloudfront_distribution.this.id
    distribution_domain_name = aws_cloudfront_distribution.this.domain_name
    url                      = "https://${aws_cloudfront_distribution.this.domain_name}"
  }
}

resource "aws_ssm_parameter" "runtime" {
  name  = local.runtime_name
  type  = "String"
  value = jsonencode(local.runtime)
  description = jsonencode({
    by             = "terraform module serverless-site"
    config_version = data.aws_ssm_parameter.config.version
    consumed       = { "${local.config.src_type}/${local.config.src_nickname}" = data.aws_ssm_parameter.bucket_runtime.version }
  })
  tags = local.tags
}

output "distribution_id" {
  value = aws_cloudfront_distribution.this.id
}

output "distribution_domain_name" {
  value = aws_cloudfront_distribution.this.domain_name
}

output "url" {
  value = local.runtime.url
}
