# The classic Karma header: read this component's config from Parameter Store, publish its
# runtime back there. Karma also passes `config` (resolved) as a variable; this module does not
# need it, and declares it only so that Karma's tfvars produce no "undeclared variable" warnings.
terraform {
  required_version = ">= 1.4"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.34"
    }
  }
  # Karma replaces this with local state, or with the backend and -backend-config in karma.json.
  backend "s3" {}
}

provider "aws" {}

variable "component_name" {
  description = "The component's type (Karma passes it)."
  type        = string
}

variable "nickname" {
  type = string
}

variable "environment" {
  type = string
}

variable "iac_prefix" {
  type    = string
  default = "/iac"
}

variable "config" {
  description = "Passed by Karma; this module reads its config from Parameter Store instead."
  type        = any
  default     = null
}

data "aws_ssm_parameter" "config" {
  name = "${var.iac_prefix}/${var.component_name}/${var.nickname}/config"
}

locals {
  config       = jsondecode(data.aws_ssm_parameter.config.value)
  runtime_name = "${var.iac_prefix}/${var.component_name}/${var.nickname}/runtime"
  tags = merge(
    { "karma:component" = "${var.component_name}/${var.nickname}", "karma:environment" = var.environment },
    try(local.config.tags, {}),
  )
}
