# Demo "site": writes index.html into the site directory, linking the API it was given
# (config.api_url, a $ref to service/<nickname>#/url resolved by Karma).
locals {
  path = "${local.dir}/public"
  html = <<-HTML
    <!doctype html>
    <html><head><meta charset="utf-8"><title>${var.config.title}</title></head>
    <body><h1>${var.config.title}</h1><p>API: <a href="${var.config.api_url}">${var.config.api_url}</a></p></body></html>
  HTML
  doc = {
    dir  = local.dir
    path = local.path
    html = local.html
  }
}

resource "terraform_data" "site" {
  triggers_replace = local.doc
  input            = local.doc

  provisioner "local-exec" {
    command     = "mkdir -p \"$SITE\" && printf '%s' \"$HTML\" > \"$SITE/index.html\""
    environment = { SITE = self.input.path, HTML = self.input.html }
  }

  provisioner "local-exec" {
    when        = destroy
    command     = "rm -rf \"$DIR\""
    environment = { DIR = self.input.dir }
  }
}

output "url" {
  value = "file://${terraform_data.site.output.path}/index.html"
}

output "path" {
  value = terraform_data.site.output.path
}
