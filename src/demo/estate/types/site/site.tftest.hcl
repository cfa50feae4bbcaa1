# api_url comes from the service contract's example: the page must link it.
run "links_the_api" {
  command = plan

  assert {
    condition     = startswith(var.config.api_url, "http://")
    error_message = "site needs api_url from service/<nickname>#/url (http://…)"
  }

  assert {
    condition     = strcontains(terraform_data.site.input.html, var.config.api_url)
    error_message = "index.html must link the API"
  }
}
