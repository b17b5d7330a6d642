#include "core/accounts/User.h"

#include <sstream>

namespace facelead::accounts {

std::string rolesToText(const workflow::RoleSet& roles) {
    std::string text;
    for (const auto role : roles) {  // RoleSet is ordered: the text is stable
        if (!text.empty()) text += ',';
        text += workflow::roleName(role);
    }
    return text;
}

workflow::RoleSet rolesFromText(const std::string& text) {
    workflow::RoleSet roles;
    std::stringstream stream(text);
    std::string name;
    while (std::getline(stream, name, ',')) {
        if (auto role = workflow::roleFromName(name)) roles.insert(*role);
    }
    return roles;
}

}  // namespace facelead::accounts
