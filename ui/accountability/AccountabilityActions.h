#pragma once
// The accountability area's one entry point (issue 5). The lead calls installAccountabilityActions once,
// from app/gui_main.cpp or MainWindow, after the window is built. It:
//  * offers trainer mode on the sign-in screen and adds to the Administration menu: Users and access,
//    Training and quiz, Trainer mode;
//  * adds to the Reports menu: Audit log, Audit requests, Usage statistics, Annual review, Statutory report (the
//    annual report the rule pack asks for, as PDF), Case report;
//  * enables each action for the roles that may use it (the core checks again);
//  * after every sign-in, deactivates inactive accounts (VI.C.2 NOTE) -- signing out the user who just
//    signed in when it is their own account -- and repeats that daily; and switches training mode on
//    exactly when the open store is a training store, so the TRAINING banner can never be missing.

namespace facelead::ui {

class AppContext;
class MainWindow;

void installAccountabilityActions(MainWindow& window, AppContext& context);

}  // namespace facelead::ui
