// The rules of the articles' licences that hold for every output, checked as the
// book is loaded (the README's "Licences folio checks" gives each with its reason).
// Each broken rule is a located error. The NonCommercial rule is the print
// preflight's (preflight::check_licences): only a sale breaks it.
#pragma once

#include "core/diagnostics.hpp"
#include "doc/model.hpp"

#include <map>
#include <string>

namespace folio::book {

// Where an article's terms were written: its file, and the `license:` and `credit:`
// lines (in its front matter, or in book.yaml's defaults).
struct TermsWritten {
    std::string file;
    SourceLocation license_at, credit_at;
};

// An article's credit against its own licence:
//   - a permission written in prose is met by the credit: each name it asks to be
//     credited appears in it verbatim, a link (`source`) when it asks for one, the
//     author when it asks for the author's name;
//   - rights reserved ("all rights reserved", a bare ©) need `permission:`;
//   - terms folio does not recognise are printed as written, with a note that
//     nothing of them was checked.
void check_credit_against_licence(const doc::Credit& credit, const TermsWritten& where, Diagnostics& diagnostics);

// NoDerivatives: what the loader reported as a change of the work (something left
// out, replaced or reshaped: Diagnostic::changes_work) in an article whose terms
// forbid sharing a changed version becomes an error naming the licence.
// `file_of` maps each article's id to the path its diagnostics name.
void hold_to_no_derivatives(const doc::Book& book, const std::map<std::string, std::string>& file_of,
                            Diagnostics& diagnostics);

// A `rights:` that claims one licence for the whole book may not relicense an
// article: each article whose terms differ from the claim (ShareAlike, NoDerivatives,
// NonCommercial, rights reserved, or simply another licence) is an error at
// `rights_at`. Articles in the public domain (CC0, the Public Domain Mark) take any
// claim. A `rights:` that says each article keeps its own licence claims nothing.
void check_rights_claim(const doc::Book& book, const SourceLocation& rights_at,
                        const std::map<std::string, std::string>& file_of, Diagnostics& diagnostics);

}  // namespace folio::book
