use super::*;

fn said(text: &str) -> Option<String> {
    stated(text).map(|s| s.license.to_string())
}

#[test]
fn a_notice_sentence_about_third_party_licenses_restricts_nothing_of_its_own() {
    let notice = "Copyright (C) 2024 Example Ltd. All rights reserved.\n\nExample-Model is licensed under the \
        Apache License 2.0 except for the third-party components listed below. Users must comply with all \
        terms and conditions of original licenses of these third-party components.";
    assert_eq!(said(notice), Some("Apache-2.0".to_string()));
    // Terms of its own still make the text more than a pointer.
    assert_eq!(said("Licensed under the Apache License 2.0. You must not use it commercially."), None);
    assert_eq!(said("All rights reserved; portions licensed under the MIT License."), None);
}

#[test]
fn a_list_of_components_names_each_ones_license_a_list_of_names_does_not() {
    let components = "This license applies to all parts of Foo that are not externally maintained libraries.\n\n\
        The externally maintained libraries used by Foo are:\n\n\
        \x20 - tree.h (from FreeBSD), copyright Niels Provos. Two clause BSD license.\n\n\
        \x20 - inet.c, copyright the Internet Systems Consortium, Inc., and licensed under the ISC license.\n\n\
        \x20 - stdint.h, copyright Alexander Chemeris. Three clause BSD license.\n";
    assert_eq!(said(components), Some("BSD-2-Clause AND BSD-3-Clause AND ISC".to_string()));
    let docs = "Supported licenses:\n\n- MIT License.\n- Apache License 2.0.\n- BSD 3-Clause License.\n";
    assert_eq!(said(docs), None);
}

#[test]
fn standard_header_sentences_and_attribution_conditions_restrict_nothing() {
    assert_eq!(
        said(
            "Licensed under the Elastic License 2.0; you may not use this file except in compliance with \
             the Elastic License 2.0."
        ),
        Some("Elastic-2.0".to_string())
    );
    assert_eq!(
        said(
            "This product includes software released under the Creative Commons Attribution License \
             (http://creativecommons.org/licenses/by/2.5). Any derived work must include this copyright \
             and license notice."
        ),
        Some("CC-BY-2.5".to_string())
    );
    // Other uses of "must" and "not" still make a text more than a pointer.
    assert_eq!(said("Licensed under the MIT License. Users must pay a fee."), None);
    assert_eq!(said("Licensed under the MIT License, but you may not use this file commercially."), None);
}

#[test]
fn a_pointer_names_the_licenses_of_the_files_it_refers_to() {
    let text = "This crate uses an \"ISC\" license for new code. Code from BoringSSL is under the Apache 2.0 \
        license. See src/once_cell/LICENSE-APACHE and src/once_cell/LICENSE-MIT for the license to code from \
        once_cell, and LICENSE-BoringSSL for the rest.";
    assert_eq!(said(text), Some("Apache-2.0 AND ISC AND MIT".to_string()));
    assert_eq!(
        super::license_file_reference("LICENSE.BSD-3-Clause.txt").map(|e| e.to_string()),
        Some("BSD-3-Clause".into())
    );
    assert_eq!(super::license_file_reference("LICENSE-BoringSSL"), None);
    assert_eq!(super::license_file_reference("LICENSE"), None);
    // A text that states no license names none by file names alone.
    assert_eq!(said("See LICENSE-MIT."), None);
}

#[test]
fn a_clause_of_its_own_states_its_license_after_another_license_is_named() {
    assert_eq!(
        said(
            "The project is licensed under the Confluent Community License, except some modules such as the \
             client libs, which are licensed under the Apache 2.0 license."
        ),
        Some("Apache-2.0 AND LicenseRef-confluent-community-1.0".to_string())
    );
    assert_eq!(
        said("Within the x-pack folder, source code is licensed under the Elastic License."),
        Some("elastic-license-1.0".to_string())
    );
    // A statement about a license's own text is still no statement of the work's license.
    assert_eq!(
        said("The text of the Creative Commons public licenses is dedicated to the public domain under CC0."),
        None
    );
}

#[test]
fn a_choice_listed_in_the_sentence_with_numbered_asides_is_read_whole() {
    let want = Some("AGPL-3.0-only OR SSPL-1.0 OR LicenseRef-rsalv2".to_string());
    assert_eq!(
        said(
            "The source code is made available to you under your choice of the following starting with \
             Redis 8: (i) Redis Source Available License 2.0 (RSALv2); (ii) the Server Side Public License v1 \
             (SSPLv1); or (iii) the GNU Affero General Public License version 3 (AGPLv3). Prior versions \
             remain subject to (i) and (ii)."
        ),
        want
    );
    assert_eq!(
        said(
            "Available under your choice of the Redis Source Available License 2.0 (RSALv2), the Server \
             Side Public License v1 (SSPLv1) or the GNU Affero General Public License version 3 (AGPLv3)."
        ),
        want
    );
    // A semicolon still ends a statement whose names are done.
    assert_eq!(said("Licensed under the MIT License; see NOTES for the history."), Some("MIT".to_string()));
}

#[test]
fn pointer_files_name_their_licenses() {
    assert_eq!(
        said("This project is dual-licensed under the Unlicense and MIT licenses.\n\nYou may use this code under the terms of either license.\n").as_deref(),
        Some("MIT OR Unlicense")
    );
    assert_eq!(
        said("bat is made available under the terms of either the MIT License or the Apache\nLicense 2.0, at your option.\n").as_deref(),
        Some("Apache-2.0 OR MIT")
    );
    assert_eq!(
        said("The model weights of EchoVideo are licensed under CC BY NC 4.0.").as_deref(),
        Some("CC-BY-NC-4.0")
    );
    assert_eq!(
        said("Creative Commons Attribution-NonCommercial 4.0 International Public License\n").as_deref(),
        Some("CC-BY-NC-4.0")
    );
}

#[test]
fn a_choice_offered_in_one_sentence_is_an_or_beside_the_other_statements() {
    let text = "Some files are subject in whole or in part to a 3-clause UC Regents copyright.\n\n\
        Other files are triple-licensed with the ability to choose from CC0 1.0 Universal, OpenSSL or \
        Apache 2.0 licenses.";
    assert_eq!(said(text), Some("BSD-3-Clause AND (Apache-2.0 OR CC0-1.0 OR OpenSSL)".to_string()));
    // A choice in a sentence of its own still makes the whole text's names one choice.
    let choice = "Licensed under the MIT license and the Apache License 2.0. You may use either, at your option.";
    assert_eq!(said(choice), Some("Apache-2.0 OR MIT".to_string()));
}

#[test]
fn lists_after_the_following() {
    let text = "Rustls is distributed under the following three licenses:\n\n- Apache License version 2.0.\n- MIT license.\n- ISC license.\n\nThese are included as LICENSE-APACHE, LICENSE-MIT and LICENSE-ISC\nrespectively.  You may use this software under the terms of any\nof these licenses, at your option.\n";
    assert_eq!(said(text).as_deref(), Some("Apache-2.0 OR ISC OR MIT"));
}

#[test]
fn addresses_and_asides() {
    assert_eq!(
        said("Released under the Creative Commons Attribution License (http://creativecommons.org/licenses/by/2.5)\n")
            .as_deref(),
        Some("CC-BY-2.5")
    );
    assert_eq!(
        said("Any copyright is dedicated to the Public Domain: https://creativecommons.org/publicdomain/zero/1.0/")
            .as_deref(),
        Some("CC0-1.0")
    );
    assert_eq!(
        said(" This source code is licensed under both the GPLv2 (found in the\n COPYING file in the root directory) and Apache 2.0 License\n (found in the LICENSE.Apache file in the root directory).\n").as_deref(),
        Some("Apache-2.0 OR GPL-2.0-only")
    );
}

#[test]
fn names_after_a_prefix_and_addresses_after_a_colon() {
    let text = "The documentation (in the docs/ directory) is licensed under the Creative Commons CC BY 3.0\nlicense, which can be found at:\n\n https://creativecommons.org/licenses/by/3.0/\n";
    assert_eq!(said(text).as_deref(), Some("CC-BY-3.0"));
}

#[test]
fn a_license_no_table_names_leaves_the_statement_incomplete() {
    let text = "Outside of the x-pack folder, source code is licensed under the Apache License Version 2.0. Within the x-pack folder, source code is licensed under the Acme Enterprise License.";
    let s = stated(text).unwrap();
    assert_eq!(s.license.to_string(), "Apache-2.0");
    assert!(!s.complete);
    let pointer = "Content outside of the ee/ directories is available under the MIT license. All content in ee/ is licensed under the license defined in ee/LICENSE.";
    assert!(!stated(pointer).unwrap().complete);
    let whole = "This project is dual-licensed under the Unlicense and MIT licenses.\n\nYou may use this code under the terms of either license.\n";
    assert!(stated(whole).unwrap().complete);
}

#[test]
fn a_short_text_with_terms_of_its_own_is_no_pointer() {
    assert_eq!(said("This repository was previously licensed under the MIT License. It is proprietary now."), None);
    assert_eq!(said("Licensed under the MIT License. You may not use it for any commercial purpose."), None);
    assert_eq!(
        said("This software is licensed under the MIT License and the Business Source License 1.1.\nNeither the name of Acme nor its contributors may be used.").as_deref(),
        None
    );
}

#[test]
fn trigger_words_alone_cost_little() {
    // Unbounded, this read 599 statements (seconds in a debug build).
    let text = "dedicated ".repeat(MAX_WORDS - 1);
    assert_eq!(said(&text), None);
    let words = words(&text);
    let mut calls = 0;
    let _ = statements_of_counting(&words, &mut calls);
    assert_eq!(calls, MAX_STATEMENTS);
}

#[test]
fn files_that_use_a_license() {
    let text = "This repository uses 2 different licenses :\n- all files in the `lib` directory use a BSD 2-Clause license\n- all other files use a GPL-2.0-or-later license, unless explicitly stated otherwise\n";
    assert_eq!(said(text).as_deref(), Some("BSD-2-Clause AND GPL-2.0-or-later"));
    assert_eq!(said("You may use this software under the terms of the license you choose."), None);
}

#[test]
fn mentions_are_no_statements() {
    assert_eq!(said("Under the hood we compare MIT and Apache-2.0 texts."), None);
    assert_eq!(said("This library supports MIT, BSD and GPL licensed projects."), None);
    assert_eq!(said("Distributed under the following conditions: do no harm."), None);
    assert_eq!(said(&"word ".repeat(MAX_WORDS + 1)), None);
    assert_eq!(said("This license applies only to the part that is not distributed under the MIT license."), None);
    assert_eq!(
        said("Permission is hereby granted to use this file, except parts licensed under the MIT license."),
        None
    );
    assert_eq!(
        said("This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.").as_deref(),
        Some("MPL-2.0")
    );
}

#[test]
fn a_copyright_notice_over_several_lines_keeps_its_all_rights_reserved() {
    let text = "* Source Code Pro:\n\n    Copyright 2010, 2012 Adobe Systems Incorporated,\n    with Reserved Font Name 'Source'. All Rights Reserved.\n\n    Licensed under the SIL Open Font License, Version 1.1.\n";
    assert_eq!(said(text), Some("OFL-1.1".to_string()));
    // Outside a copyright notice it is a term of the text's own.
    assert_eq!(said("All rights reserved; portions licensed under the MIT License."), None);
}

#[test]
fn a_choice_after_the_names_is_that_statements_own() {
    let text = "* rustdoc.css:\n\n    Licensed under the Apache License, Version 2.0 (see LICENSE-APACHE.txt) or\n    the MIT license (LICENSE-MIT.txt) at your option.\n\n* normalize.css:\n\n    Licensed under the MIT license (see LICENSE-MIT.txt).\n\n* Fira Sans:\n\n    Licensed under the SIL Open Font License, Version 1.1.\n";
    assert_eq!(said(text), Some("MIT AND OFL-1.1 AND (Apache-2.0 OR MIT)".to_string()));
}

#[test]
fn a_choice_in_the_next_sentence_is_not_the_first_statements() {
    let text = "Code is under MIT and Apache-2.0. Docs are under either CC-BY-4.0 or CC0-1.0.";
    assert_eq!(said(text), Some("Apache-2.0 AND MIT AND (CC-BY-4.0 OR CC0-1.0)".to_string()));
}
