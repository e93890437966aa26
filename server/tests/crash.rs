//! Durability: the real `xunjian` process is killed with SIGKILL while three phones push, then
//! restarted on the same SQLite file. Every operation acknowledged before the kill must be there,
//! once, and the database must pass SQLite's integrity check.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use xunjian_shared::auth::{LoginRequest, TokenResponse};
use xunjian_shared::ids::{DeviceId, OpId};
use xunjian_shared::premise::{CreatePremise, PremisePage, PremiseType};
use xunjian_shared::sync::{OpBody, Operation, PushRequest, PushResponse, PROTOCOL_VERSION};
use xunjian_shared::PremiseId;

const BIN: &str = env!("CARGO_BIN_EXE_xunjian");

/// Every batch a phone sent, to re-send after the restart.
type Batches = Arc<Mutex<Vec<(DeviceId, Vec<Operation>)>>>;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(data: &std::path::Path, port: u16) -> Child {
    Command::new(BIN)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("XUNJIAN_DATA_DIR", data)
        .env("XUNJIAN_WEB_DIR", data.join("no-web"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("server starts")
}

/// Polls until the server answers (bounded: 300 tries).
async fn wait_up(http: &reqwest::Client, base: &str) {
    for _ in 0..300 {
        if http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up at {base}");
}

async fn login(http: &reqwest::Client, base: &str) -> TokenResponse {
    let body = LoginRequest { username: "yishi.grid".into(), password: "xunjian2026".into(), device_name: None };
    http.post(format!("{base}/api/v1/auth/login")).json(&body).send().await.unwrap().json().await.unwrap()
}

/// The premises this test made (their names start with 断电测试).
async fn test_premises(http: &reqwest::Client, base: &str, token: &str) -> PremisePage {
    let res = http.get(format!("{base}/api/v1/premises?q=断电测试&limit=500")).bearer_auth(token).send().await.unwrap();
    res.json().await.unwrap()
}

fn premise_op(grid: xunjian_shared::OrgUnitId, seq: i64) -> (Operation, PremiseId) {
    let id = PremiseId::new();
    let body = OpBody::CreatePremise(CreatePremise {
        id: Some(id),
        grid_id: grid,
        name: format!("断电测试{seq}"),
        premise_type: PremiseType::StreetShop,
        address: format!("测试街{seq}号"),
        location: None,
        responsible_person: "测试".into(),
        responsible_phone: None,
        notes: String::new(),
    });
    (Operation { op_id: OpId::new(), seq, device_time: chrono::Utc::now(), body }, id)
}

#[tokio::test(flavor = "current_thread")]
async fn acknowledged_operations_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = Command::new(BIN).arg("demo").env("XUNJIAN_DATA_DIR", &data).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{}", free_port());
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let mut server = start(&data, port);
    wait_up(&http, &base).await;
    let t = login(&http, &base).await;
    let grid = t.user.org_chain.last().unwrap().id;

    // Three phones push batches of five new premises until the server dies under them.
    let acked: Arc<Mutex<Vec<PremiseId>>> = Arc::default();
    let sent: Batches = Arc::default();
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async {
            let mut phones = Vec::new();
            for phone in 0..3 {
                let (http, base, token, acked, sent) =
                    (http.clone(), base.clone(), t.access_token.clone(), acked.clone(), sent.clone());
                phones.push(tokio::task::spawn_local(async move {
                    let device = DeviceId::new();
                    for batch in 0..400 {
                        let ops: Vec<(Operation, PremiseId)> =
                            (0..5).map(|i| premise_op(grid, phone * 10_000 + batch * 5 + i)).collect();
                        let req = PushRequest {
                            protocol: PROTOCOL_VERSION,
                            device_id: device,
                            ops: ops.iter().map(|(o, _)| o.clone()).collect(),
                        };
                        sent.lock().unwrap().push((device, req.ops.clone()));
                        let Ok(res) =
                            http.post(format!("{base}/api/v1/sync/push")).bearer_auth(&token).json(&req).send().await
                        else {
                            return;
                        };
                        let Ok(body) = res.json::<PushResponse>().await else { return };
                        let mut a = acked.lock().unwrap();
                        for (r, (_, id)) in body.results.iter().zip(&ops) {
                            assert!(r.outcome.applied(), "{r:?}");
                            a.push(*id);
                        }
                    }
                }));
            }
            // Kill once a fair number of operations were acknowledged — by count, not by time.
            for _ in 0..4000 {
                if acked.lock().unwrap().len() >= 60 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            server.kill().expect("SIGKILL");
            server.wait().unwrap();
            for p in phones {
                let _ = p.await;
            }
        })
        .await;
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 60, "only {} acknowledged before the kill", acked.len());

    // Restart on the same file: everything acknowledged is there.
    let port2 = free_port();
    let base2 = format!("http://127.0.0.1:{port2}");
    let mut server = start(&data, port2);
    wait_up(&http, &base2).await;
    let t = login(&http, &base2).await;
    let page = test_premises(&http, &base2, &t.access_token).await;
    assert!(page.total <= 500);
    let stored: std::collections::HashSet<PremiseId> = page.items.iter().map(|p| p.id).collect();
    for id in &acked {
        assert!(stored.contains(id), "acknowledged premise {id} lost");
    }
    // Re-sending every batch (the phones' retries) adds each premise at most once.
    let batches = sent.lock().unwrap().clone();
    for (device, ops) in batches {
        let req = PushRequest { protocol: PROTOCOL_VERSION, device_id: device, ops };
        let res: PushResponse = http
            .post(format!("{base2}/api/v1/sync/push"))
            .bearer_auth(&t.access_token)
            .json(&req)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(res.results.iter().all(|r| r.outcome.applied()));
    }
    let all = test_premises(&http, &base2, &t.access_token).await;
    let sent_count: usize = sent.lock().unwrap().iter().map(|(_, ops)| ops.len()).sum();
    eprintln!("{} acknowledged before SIGKILL, {} present after restart, {sent_count} sent", acked.len(), stored.len());
    assert_eq!(all.total as usize, sent_count, "every sent premise exactly once");
    server.kill().unwrap();
    server.wait().unwrap();
    let db = xunjian_server::db::Db::open(data.join("xunjian.db").to_str().unwrap()).expect("database opens");
    assert!(db.integrity_ok().unwrap(), "PRAGMA integrity_check");
}
