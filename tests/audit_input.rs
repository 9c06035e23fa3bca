//! The audit's reading of hostile or odd input, through the public API: cells a spreadsheet
//! would run, repeated columns, UTF-16 that does not decode.

use usernorm::audit::{
    Audit, AuditError, Encoding, HuggingFaceMapping, Record, ReportFormat, Status, UsernameSource,
};
use usernorm::{MemoryRegistry, Policy};

/// The report `write_report` formats.
fn report(audit: &Audit<'_>, input: &str, format: ReportFormat) -> String {
    let mut checked = audit
        .run(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            &mut HuggingFaceMapping::default(),
        )
        .expect("audited");
    let mut out = Vec::new();
    checked
        .write_report(format, |piece| {
            out.extend(piece);
            Ok(())
        })
        .expect("report");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn report_cells_a_spreadsheet_would_run_are_text() {
    let policy = Policy::huggingface();
    let org = MemoryRegistry::new();
    let input = "id,mailNickname\n=1+2,jdoe\n@SUM(A1),-jdoe\n+1,\"=cmd|' /C calc'!A0\"\n";
    for threads in [true, false] {
        let audit = Audit::new(&policy, &org).threads(threads);
        let csv = report(&audit, input, ReportFormat::Csv);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("1,2,'=1+2,jdoe,ok,"), "{csv}");
        assert!(
            lines[1].starts_with("2,3,'@SUM(A1),'-jdoe,invalid,"),
            "{csv}"
        );
        assert!(
            lines[2].starts_with("3,4,'+1,'=cmd|' /C calc'!A0,invalid,"),
            "{csv}"
        );
        // The JSON report keeps the text as it is.
        let json = report(&audit, input, ReportFormat::JsonLines);
        assert!(json.contains(r#""id":"=1+2","username":"jdoe""#), "{json}");
        assert!(json.contains(r#""username":"-jdoe""#), "{json}");
    }
}

#[test]
fn two_columns_for_an_attribute_the_audit_reads_are_an_error() {
    let policy = Policy::huggingface();
    let org = MemoryRegistry::new();
    let audit = Audit::new(&policy, &org);
    let run = |input: &str, source: &mut dyn UsernameSource| {
        let input = std::io::Cursor::new(input.as_bytes().to_vec());
        audit.run(input, source).map(|_| ()).map_err(|e| match e {
            AuditError::DuplicateColumn { attribute, columns } => (attribute, columns),
            e => panic!("{e}"),
        })
    };
    let hf = || HuggingFaceMapping::default();
    let pair = |a: usize, x: &str, b: usize, y: &str| [(a, x.to_owned()), (b, y.to_owned())];
    assert_eq!(
        run("id,mailNickname,MailNickname\n1,a,b\n", &mut hf()),
        Err((
            "mailNickname".to_owned(),
            pair(1, "mailNickname", 2, "MailNickname")
        ))
    );
    // Through an alias, for the column that stands in for a missing mailNickname.
    assert_eq!(
        run("id,UPN,userPrincipalName\n1,a@x,b@x\n", &mut hf()),
        Err((
            "mailNickname".to_owned(),
            pair(1, "UPN", 2, "userPrincipalName")
        ))
    );
    // The columns the audit reads besides the mapping's: the id and the person's names.
    assert_eq!(
        run("id,objectId,mailNickname\n1,2,a\n", &mut hf()),
        Err(("id".to_owned(), pair(0, "id", 1, "objectId")))
    );
    assert_eq!(
        run(
            "id,givenName,surname,mailNickname,First name\n1,A,B,a,C\n",
            &mut hf()
        ),
        Err((
            "givenName".to_owned(),
            pair(1, "givenName", 4, "First name")
        ))
    );
    // A column the audit does not read may repeat.
    assert_eq!(
        run("id,mail,Email,mailNickname\n1,a,b,c\n", &mut hf()),
        Ok(())
    );
    assert_eq!(
        run(
            "id,mail,Email\n1,a,b\n",
            &mut usernorm::audit::Column::new("mail")
        ),
        Err(("mail".to_owned(), pair(1, "mail", 2, "Email")))
    );
}

#[test]
fn utf16_that_does_not_decode_is_an_error_row() {
    let policy = Policy::huggingface();
    let org = MemoryRegistry::new();
    let mut units: Vec<u16> = "id,mailNickname\n1,jdoe\n2,ab".encode_utf16().collect();
    units.extend([0xDC00, u16::from(b'\n')]);
    units.extend("3,ann\n".encode_utf16());
    // Without a byte-order mark: found from the NULs.
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    for threads in [true, false] {
        let mut checked = Audit::new(&policy, &org)
            .threads(threads)
            .run(
                std::io::Cursor::new(bytes.clone()),
                &mut HuggingFaceMapping::default(),
            )
            .expect("audited");
        assert_eq!(checked.summary().encoding, Encoding::Utf16Le);
        let got: Vec<Record> = checked
            .records()
            .collect::<Result<_, _>>()
            .expect("records");
        let statuses: Vec<Status> = got.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [Status::Ok, Status::Error, Status::Ok]);
        assert_eq!(got[1].username, "ab\u{FFFD}");
        assert_eq!(
            got[1].message,
            "line 3, column `mailNickname`: invalid UTF-16 (an unpaired surrogate (0xDC00)) \
             after character 2 of the field; save the file again as UTF-16 or as UTF-8"
        );
        assert_eq!(got[1].suggestion.as_deref(), Some("ab"));
    }
}
