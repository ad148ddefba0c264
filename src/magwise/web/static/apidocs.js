// The API documentation (/docs): Swagger UI from the vendored bundle. Served from
// /static so that the Content-Security-Policy (script-src 'self') allows it.
// "Try it out" sends the page's CSRF token, as every page's forms do.
const token = document.querySelector('meta[name="csrf-token"]')?.content;
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  requestInterceptor: (request) => {
    if (token) {
      request.headers["X-CSRF-Token"] = token;
    }
    return request;
  },
});
