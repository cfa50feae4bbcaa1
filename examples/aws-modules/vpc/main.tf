resource "aws_vpc" "this" {
  cidr_block           = local.config.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = "${var.environment}-${var.nickname}" })
}

resource "aws_internet_gateway" "this" {
  count  = length(try(local.config.public_subnets, [])) > 0 ? 1 : 0
  vpc_id = aws_vpc.this.id
  tags   = local.tags
}

resource "aws_subnet" "public" {
  count                   = length(try(local.config.public_subnets, []))
  vpc_id                  = aws_vpc.this.id
  cidr_block              = local.config.public_subnets[count.index]
  availability_zone       = local.config.azs[count.index % length(local.config.azs)]
  map_public_ip_on_launch = true
  tags                    = merge(local.tags, { Name = "${var.nickname}-public-${count.index}" })
}

resource "aws_subnet" "private" {
  count             = length(try(local.config.private_subnets, []))
  vpc_id            = aws_vpc.this.id
  cidr_block        = local.config.private_subnets[count.index]
  availability_zone = local.config.azs[count.index % length(local.config.azs)]
  tags              = merge(local.tags, { Name = "${var.nickname}-private-${count.index}" })
}

resource "aws_route_table" "public" {
  count  = length(aws_internet_gateway.this)
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this[0].id
  }
  tags = local.tags
}

resource "aws_route_table_association" "public" {
  count          = length(aws_route_table.public) > 0 ? length(aws_subnet.public) : 0
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

locals {
  runtime = {
    vpc_id             = aws_vpc.this.id
    cidr               = aws_vpc.this.cidr_block
    public_subnet_ids  = aws_subnet.public[*].id
    private_subnet_ids = aws_subnet.private[*].id
  }
}

resource "aws_ssm_parameter" "runtime" {
  name        = local.runtime_name
  type        = "String"
  value       = jsonencode(local.runtime)
  description = jsonencode({ by = "terraform module vpc", config_version = data.aws_ssm_parameter.config.version })
  tags        = local.tags
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "cidr" {
  value = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}
