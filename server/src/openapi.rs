//! The OpenAPI 3.1 document of the service's API (`GET /api/v1/openapi.json`), for partners
//! who build their own reports. Nothing in it is written by hand: its paths and methods come
//! from the route table the router is built from ([`crate::routes::endpoints`]), and its
//! schemas from the core types themselves (`utoipa::ToSchema`, derived behind core's `openapi`
//! feature, which only the service turns on).

use peerpulse_core::org_api::{CSRF_HEADER, SESSION_COOKIE};
use peerpulse_core::protocol::ErrorBody;
use std::collections::BTreeMap;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{
    ComponentsBuilder, Content, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr, Required,
    ResponseBuilder, Schema,
};
use utoipa::{PartialSchema, ToSchema};

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// Who may call an endpoint, and with what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone (sign-in, enrolment, health).
    Public,
    /// An enrolled phone, with its device token as a bearer token.
    Phone,
    /// A signed-in person: the session cookie, and on every change the CSRF header.
    Person,
    /// A phone or a signed-in person.
    PhoneOrPerson,
    /// Prometheus, with the metrics bearer token.
    Metrics,
}

/// A body's or a query's schema: the schema itself (usually a reference) and every named
/// schema it refers to.
#[derive(Clone)]
pub struct Shape {
    content_type: &'static str,
    schema: RefOr<Schema>,
    named: Vec<(String, RefOr<Schema>)>,
}

impl Shape {
    /// A JSON `T`.
    pub fn json<T: ToSchema>() -> Self {
        let mut named = vec![(T::name().into_owned(), T::schema())];
        T::schemas(&mut named);
        Self {
            content_type: "application/json",
            schema: Ref::from_schema_name(T::name()).into(),
            named,
        }
    }

    /// A JSON list of `T`.
    pub fn list<T: ToSchema>() -> Self {
        let one = Self::json::<T>();
        Self {
            schema: Schema::Array(utoipa::openapi::schema::Array::new(one.schema)).into(),
            ..one
        }
    }

    /// Text of `content_type` (an ADX document, Prometheus metrics, an event stream).
    pub fn text(content_type: &'static str) -> Self {
        Self {
            content_type,
            schema: String::schema(),
            named: Vec::new(),
        }
    }
}

/// What the document says of one endpoint.
#[derive(Clone)]
pub struct Doc {
    /// One line on what it does.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Its query string's fields, if it takes any.
    pub query: Option<Shape>,
    /// Its request body, if any.
    pub request: Option<Shape>,
    /// Its success status.
    pub status: u16,
    /// Its success body, if any (each alternative form, such as JSON or ADX).
    pub response: Vec<Shape>,
}

impl Doc {
    /// An endpoint `access` may call, answering `status` with `response`.
    pub fn new(summary: &'static str, access: Access) -> Self {
        Self {
            summary,
            access,
            query: None,
            request: None,
            status: 200,
            response: Vec::new(),
        }
    }

    /// It takes the query `T`.
    pub fn query<T: ToSchema>(mut self) -> Self {
        self.query = Some(Shape::json::<T>());
        self
    }

    /// It takes the body `T`.
    pub fn takes<T: ToSchema>(mut self) -> Self {
        self.request = Some(Shape::json::<T>());
        self
    }

    /// It answers `shape`.
    pub fn answers(mut self, shape: Shape) -> Self {
        self.response.push(shape);
        self
    }

    /// It answers `status` (201, 204...).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
}

/// An HTTP method of the route table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method as the document names it.
    fn openapi(self) -> HttpMethod {
        match self {
            Self::Get => HttpMethod::Get,
            Self::Post => HttpMethod::Post,
            Self::Put => HttpMethod::Put,
            Self::Patch => HttpMethod::Patch,
            Self::Delete => HttpMethod::Delete,
        }
    }

    /// Its lower-case name, as OpenAPI keys operations.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
            Self::Put => "put",
            Self::Patch => "patch",
            Self::Delete => "delete",
        }
    }
}

/// The names of the security schemes.
const DEVICE: &str = "device_token";
const SESSION: &str = "session_cookie";
const CSRF: &str = "csrf_header";
const METRICS: &str = "metrics_token";

/// Who may call an endpoint, as security requirements (any one of them suffices).
fn security(access: Access, method: Method) -> Vec<SecurityRequirement> {
    let none: [&str; 0] = [];
    let person = if method == Method::Get {
        SecurityRequirement::new(SESSION, none)
    } else {
        SecurityRequirement::new(SESSION, none).add(CSRF, none)
    };
    match access {
        Access::Public => Vec::new(),
        Access::Phone => vec![SecurityRequirement::new(DEVICE, none)],
        Access::Person => vec![person],
        Access::PhoneOrPerson => vec![SecurityRequirement::new(DEVICE, none), person],
        Access::Metrics => vec![SecurityRequirement::new(METRICS, none)],
    }
}

/// The query parameters of a query struct's schema, one per field.
fn query_parameters(query: &Shape) -> Vec<utoipa::openapi::path::Parameter> {
    let Some((_, RefOr::T(Schema::Object(object)))) = query.named.first() else {
        return Vec::new();
    };
    object
        .properties
        .iter()
        .map(|(name, schema)| {
            let required = if object.required.contains(name) {
                Required::True
            } else {
                Required::False
            };
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(required)
                .schema(Some(schema.clone()))
                .build()
        })
        .collect()
}

/// The path parameters of `path` (`{id}`, `{username}`), as strings.
fn path_parameters(path: &str) -> Vec<utoipa::openapi::path::Parameter> {
    path.split('/')
        .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(String::schema()))
                .build()
        })
        .collect()
}

/// The document of `endpoints`: each one's path, method, summary, parameters, bodies,
/// answers and security, every error as an [`ErrorBody`], and every schema they name.
pub fn document<'a>(endpoints: impl IntoIterator<Item = (Method, &'a str, &'a Doc)>) -> OpenApi {
    let mut schemas: BTreeMap<String, RefOr<Schema>> = BTreeMap::new();
    let mut remember = |shape: &Shape| {
        for (name, schema) in &shape.named {
            schemas
                .entry(name.clone())
                .or_insert_with(|| schema.clone());
        }
    };
    let error = Shape::json::<ErrorBody>();
    remember(&error);
    let mut paths = Paths::new();
    for (method, path, doc) in endpoints {
        let mut operation = OperationBuilder::new()
            .summary(Some(doc.summary))
            .operation_id(Some(format!(
                "{}{}",
                method.as_str(),
                path.replace(['/', '{', '}', '.', '-'], "_")
            )))
            .securities(Some(security(doc.access, method)));
        for parameter in path_parameters(path) {
            operation = operation.parameter(parameter);
        }
        if let Some(query) = &doc.query {
            remember(query);
            for parameter in query_parameters(query) {
                operation = operation.parameter(parameter);
            }
        }
        if let Some(request) = &doc.request {
            remember(request);
            operation = operation.request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        request.content_type,
                        Content::new(Some(request.schema.clone())),
                    )
                    .build(),
            ));
        }
        let mut answer = ResponseBuilder::new().description(doc.summary);
        for shape in &doc.response {
            remember(shape);
            answer = answer.content(shape.content_type, Content::new(Some(shape.schema.clone())));
        }
        operation = operation
            .response(doc.status.to_string(), answer.build())
            .response(
                "default",
                ResponseBuilder::new()
                    .description(
                        "Refused or failed: `error` is a stable code, `message` says why in words",
                    )
                    .content(error.content_type, Content::new(Some(error.schema.clone())))
                    .build(),
            );
        paths.add_path_operation(path, vec![method.openapi()], operation.build());
    }
    let bearer = |what: &str| {
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(what))
                .build(),
        )
    };
    let components = ComponentsBuilder::new()
        .schemas_from_iter(schemas)
        .security_scheme(
            DEVICE,
            bearer("The token a phone received when it enrolled"),
        )
        .security_scheme(
            METRICS,
            bearer("The token the service was started with for /metrics"),
        )
        .security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The session cookie sign-in sets (named __Host-pp_session over https)",
            ))),
        )
        .security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                CSRF_HEADER,
                "The session's CSRF token (`csrf_token` of the session), on every change",
            ))),
        )
        .build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("PeerPulse API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The PeerPulse service's API: enrolment and sync for phones; trends, \
                     reports, indicators and DHIS2 exports for the organization's people. \
                     Every count it publishes has passed the disclosure rule.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(components))
        .build()
}
