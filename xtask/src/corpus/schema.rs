//! The tables the corpus draws from, their columns and values.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Id,
    Big,
    Int,
    Money,
    Text,
    Time,
    Date,
    Bool,
}

pub(super) struct Col {
    pub(super) name: &'static str,
    pub(super) ty: Ty,
}

pub(super) const fn c(name: &'static str, ty: Ty) -> Col {
    Col { name, ty }
}

pub(super) struct Table {
    pub(super) name: &'static str,
    pub(super) alias: &'static str,
    pub(super) entity: &'static str,
    /// How other tables name a foreign key to this one.
    pub(super) key: &'static str,
    pub(super) cols: &'static [Col],
}

pub(super) use Ty::*;

pub(super) static TABLES: &[Table] = &[
    Table {
        name: "orders",
        alias: "o",
        entity: "Order",
        key: "order_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("status", Text),
            c("currency", Text),
            c("amount_cents", Money),
            c("discount_cents", Money),
            c("placed_at", Time),
            c("shipped_at", Time),
            c("region", Text),
            c("is_gift", Bool),
        ],
    },
    Table {
        name: "invoices",
        alias: "i",
        entity: "Invoice",
        key: "invoice_id",
        cols: &[
            c("id", Id),
            c("order_id", Big),
            c("account_id", Big),
            c("invoice_number", Text),
            c("total_cents", Money),
            c("tax_cents", Money),
            c("due_date", Date),
            c("paid_at", Time),
            c("status", Text),
        ],
    },
    Table {
        name: "accounts",
        alias: "a",
        entity: "Account",
        key: "account_id",
        cols: &[
            c("id", Id),
            c("account_name", Text),
            c("plan_tier", Text),
            c("country_code", Text),
            c("opened_at", Time),
            c("closed_at", Time),
            c("balance_cents", Money),
            c("owner_email", Text),
            c("is_enterprise", Bool),
        ],
    },
    Table {
        name: "events",
        alias: "e",
        entity: "Event",
        key: "event_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("session_id", Big),
            c("event_type", Text),
            c("payload", Text),
            c("device", Text),
            c("occurred_at", Time),
            c("source", Text),
            c("retries", Int),
        ],
    },
    Table {
        name: "payments",
        alias: "p",
        entity: "Payment",
        key: "payment_id",
        cols: &[
            c("id", Id),
            c("invoice_id", Big),
            c("method", Text),
            c("amount_cents", Money),
            c("captured_at", Time),
            c("processor", Text),
            c("status", Text),
            c("attempt_count", Int),
        ],
    },
    Table {
        name: "shipments",
        alias: "s",
        entity: "Shipment",
        key: "shipment_id",
        cols: &[
            c("id", Id),
            c("order_id", Big),
            c("warehouse_id", Big),
            c("carrier", Text),
            c("tracking_code", Text),
            c("shipped_at", Time),
            c("delivered_at", Time),
            c("parcel_count", Int),
        ],
    },
    Table {
        name: "products",
        alias: "pr",
        entity: "Product",
        key: "product_id",
        cols: &[
            c("id", Id),
            c("sku", Text),
            c("title", Text),
            c("category", Text),
            c("unit_price_cents", Money),
            c("weight_grams", Int),
            c("active", Bool),
            c("launched_on", Date),
        ],
    },
    Table {
        name: "line_items",
        alias: "li",
        entity: "LineItem",
        key: "line_item_id",
        cols: &[
            c("id", Id),
            c("order_id", Big),
            c("product_id", Big),
            c("quantity", Int),
            c("unit_price_cents", Money),
            c("discount_cents", Money),
            c("created_at", Time),
        ],
    },
    Table {
        name: "subscriptions",
        alias: "sb",
        entity: "Subscription",
        key: "subscription_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("plan_tier", Text),
            c("started_at", Time),
            c("ended_at", Time),
            c("seats", Int),
            c("mrr_cents", Money),
            c("auto_renew", Bool),
        ],
    },
    Table {
        name: "warehouses",
        alias: "w",
        entity: "Warehouse",
        key: "warehouse_id",
        cols: &[
            c("id", Id),
            c("warehouse_code", Text),
            c("city", Text),
            c("country_code", Text),
            c("capacity", Int),
            c("opened_on", Date),
        ],
    },
    Table {
        name: "refunds",
        alias: "r",
        entity: "Refund",
        key: "refund_id",
        cols: &[
            c("id", Id),
            c("payment_id", Big),
            c("amount_cents", Money),
            c("reason_code", Text),
            c("refunded_at", Time),
        ],
    },
    Table {
        name: "sessions",
        alias: "se",
        entity: "Session",
        key: "session_id",
        cols: &[
            c("id", Id),
            c("account_id", Big),
            c("started_at", Time),
            c("ended_at", Time),
            c("device", Text),
            c("landing_path", Text),
            c("page_views", Int),
        ],
    },
];

pub(super) static USERS: Table = Table {
    name: "users",
    alias: "u",
    entity: "User",
    key: "user_id",
    cols: &[
        c("id", Id),
        c("account_id", Big),
        c("user_name", Text),
        c("email", Text),
        c("age", Int),
        c("legacy_flag", Bool),
        c("created_at", Time),
    ],
};

pub(super) const DOMAINS: &[&str] = &[
    "billing",
    "fulfillment",
    "catalog",
    "growth",
    "finance",
    "support",
    "logistics",
    "marketing",
    "risk",
    "ledger",
    "search",
    "inventory",
    "platform",
    "insights",
    "crm",
    "payouts",
];
pub(super) const TEXT_VALUES: &[&str] =
    &["open", "paid", "pending", "void", "shipped", "eu-west", "premium", "web", "ios"];
pub(super) const TIME_VALUES: &[&str] = &[
    "TIMESTAMP '2024-01-01 00:00:00'",
    "CURRENT_DATE - INTERVAL '30' DAY",
    "CURRENT_TIMESTAMP - INTERVAL '7' DAY",
    "DATE '2023-07-01'",
];
pub(super) const TITLES: &[&str] = &[
    "Daily revenue by region",
    "Open items older than a week",
    "Monthly cohort retention",
    "Top accounts by spend",
    "Late deliveries per carrier",
    "Refund rate by processor",
    "Churned subscriptions last quarter",
    "Weekly active sessions",
    "Inventory turnover",
    "Invoices past due",
];

pub(super) fn table_by_key(key: &str) -> Option<&'static Table> {
    TABLES.iter().chain(std::iter::once(&USERS)).find(|t| t.key == key)
}

pub(super) fn fks(t: &'static Table) -> impl Iterator<Item = (&'static Col, &'static Table)> {
    t.cols.iter().filter(|c| c.ty == Big).filter_map(|c| table_by_key(c.name).map(|r| (c, r)))
}

pub(super) fn sql_type(c: &Col) -> &'static str {
    match c.ty {
        Id | Big => "BIGINT",
        Int => "INT",
        Money => "NUMERIC(12,2)",
        Text if c.name.ends_with("email") || c.name == "payload" => "TEXT",
        Text => "VARCHAR(64)",
        Time => "TIMESTAMP",
        Date => "DATE",
        Bool => "BOOLEAN",
    }
}

pub(super) fn literal(rng: &mut Rng, c: &Col) -> String {
    match c.ty {
        Id | Big => rng.range(1, 99_999).to_string(),
        Int => rng.range(0, 500).to_string(),
        Money => format!("{}.{:02}", rng.range(1, 5000), rng.below(100)),
        Text => format!("'{}'", rng.pick(TEXT_VALUES)),
        Time => rng.pick(TIME_VALUES).to_string(),
        Date => format!("DATE '2024-{:02}-{:02}'", rng.range(1, 12), rng.range(1, 28)),
        Bool => if rng.percent(50) { "TRUE" } else { "FALSE" }.to_string(),
    }
}

/// How a query spells its parameters: the host's driver convention.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Ph {
    Literal,
    Qmark,
    Colon,
    Pyformat,
}

pub(super) fn param(rng: &mut Rng, ph: Ph, c: &Col) -> String {
    match ph {
        Ph::Literal => literal(rng, c),
        Ph::Qmark => "?".into(),
        Ph::Colon => format!(":{}", c.name),
        Ph::Pyformat => format!("%({})s", c.name),
    }
}
